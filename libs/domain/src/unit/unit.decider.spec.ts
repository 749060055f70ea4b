import { actorOf, deciderSpec } from '../shared/testing';
import { RegisterSchool } from './unit.commands';
import { unitDecider } from './unit.decider';
import { SchoolRegistered, unitStreamId } from './unit.events';

const { given } = deciderSpec(unitDecider);
const register = (data: Partial<RegisterSchool['data']> = {}): RegisterSchool => ({
  type: 'RegisterSchool',
  data: { code: 'R01-S001', name: '郑州市电子信息工程学校', parentCode: 'R01', ...data },
  at: '2024-03-01T09:00:00+08:00',
  actor: actorOf('region-operator', 'R01'),
});
const registered: SchoolRegistered = {
  type: 'SchoolRegistered',
  data: { code: 'R01-S001', name: '郑州市电子信息工程学校', kind: 'city-secondary', parentCode: 'R01' },
};

describe('unit decider', () => {
  it('registers a city-secondary school under its region', () => {
    given([]).when(register()).then([registered]);
    expect(unitStreamId('R01-S001')).toBe('unit-R01-S001');
  });

  it('trims the name', () => {
    given([])
      .when(register({ name: ' 郑州市电子信息工程学校 ' }))
      .then([registered]);
  });

  it('refuses a code that is already registered', () => {
    given([registered])
      .when(register({ name: '另一所学校' }))
      .thenThrows('UNIT_CODE_TAKEN');
  });

  it('refuses a malformed code, the reserved code province, or a blank name', () => {
    given([])
      .when(register({ code: 'R01 S1' }))
      .thenThrows('VALIDATION_FAILED');
    given([])
      .when(register({ code: 'province' }))
      .thenThrows('VALIDATION_FAILED');
    given([])
      .when(register({ name: '' }))
      .thenThrows('VALIDATION_FAILED');
  });

  it('refuses a malformed parent code', () => {
    given([])
      .when(register({ parentCode: '' }))
      .thenThrows('VALIDATION_FAILED');
  });

  it('holds the school once registered', () => {
    given([registered]).thenState((s) => expect(s).toEqual({ status: 'registered', ...registered.data }));
  });
});

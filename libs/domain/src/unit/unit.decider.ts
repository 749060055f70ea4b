import { Decider } from '../shared/decider';
import { DomainError } from '../shared/errors';
import { requireText, requireUnitCode } from '../shared/validation';
import { UnitCommand } from './unit.commands';
import { UnitEvent } from './unit.events';

export type UnitState =
  | { status: 'absent' }
  | { status: 'registered'; code: string; name: string; kind: 'city-secondary'; parentCode: string };

export const initialUnitState = (): UnitState => ({ status: 'absent' });

export const unitDecider: Decider<UnitCommand, UnitState, UnitEvent> = {
  initialState: initialUnitState,

  decide({ data }, state) {
    if (state.status === 'registered')
      throw new DomainError('UNIT_CODE_TAKEN', `单位代码 ${state.code} 已被使用`);
    const code = requireUnitCode(data.code);
    const name = requireText(data.name, 'name', '学校名称', 100);
    const parentCode = requireUnitCode(data.parentCode, 'parentCode');
    return [{ type: 'SchoolRegistered', data: { code, name, kind: 'city-secondary', parentCode } }];
  },

  evolve(state, event) {
    return event.type === 'SchoolRegistered' ? { status: 'registered', ...event.data } : state;
  },
};

import { canCreateUser, UserTarget } from './user.access';

const admin = { role: 'province-admin' as const, unitCode: 'province' };
const operator = { role: 'region-operator' as const, unitCode: 'R01' };

const onProvince = (role: UserTarget['role']): UserTarget => ({
  role,
  unitCode: 'province',
  unitKind: null,
  unitParentCode: null,
});
const onRegion = (role: UserTarget['role'], code = 'R01'): UserTarget => ({
  role,
  unitCode: code,
  unitKind: 'region',
  unitParentCode: 'province',
});
const onSchool = (role: UserTarget['role'], parent = 'R01'): UserTarget => ({
  role,
  unitCode: `S-${parent}`,
  unitKind: 'city-secondary',
  unitParentCode: parent,
});
const onCollege = (role: UserTarget['role']): UserTarget => ({
  role,
  unitCode: 'U01',
  unitKind: 'undergraduate',
  unitParentCode: 'province',
});

describe('canCreateUser', () => {
  it('lets a province admin create admins and auditors on the province', () => {
    expect(canCreateUser(admin, onProvince('province-admin'))).toBe(true);
    expect(canCreateUser(admin, onProvince('auditor'))).toBe(true);
  });

  it('lets a province admin create region operators on regions, and signers on any reporting unit', () => {
    expect(canCreateUser(admin, onRegion('region-operator'))).toBe(true);
    expect(canCreateUser(admin, onCollege('filler'))).toBe(true);
    expect(canCreateUser(admin, onSchool('leader', 'R07'))).toBe(true);
  });

  it('lets the system create the first province admin', () => {
    expect(canCreateUser({ role: 'system', unitCode: 'province' }, onProvince('province-admin'))).toBe(true);
  });

  it('keeps each role on its kind of unit, even for a province admin', () => {
    expect(canCreateUser(admin, onRegion('auditor'))).toBe(false);
    expect(canCreateUser(admin, onCollege('province-admin'))).toBe(false);
    expect(canCreateUser(admin, onCollege('region-operator'))).toBe(false);
    expect(canCreateUser(admin, onSchool('region-operator'))).toBe(false);
    expect(canCreateUser(admin, onProvince('filler'))).toBe(false);
  });

  it('lets a region operator create fillers and leaders for its region and its own schools', () => {
    expect(canCreateUser(operator, onRegion('filler'))).toBe(true);
    expect(canCreateUser(operator, onRegion('leader'))).toBe(true);
    expect(canCreateUser(operator, onSchool('filler'))).toBe(true);
    expect(canCreateUser(operator, onSchool('leader'))).toBe(true);
  });

  it("refuses a region operator another region, another region's schools, or a college", () => {
    expect(canCreateUser(operator, onRegion('filler', 'R02'))).toBe(false);
    expect(canCreateUser(operator, onSchool('filler', 'R02'))).toBe(false);
    expect(canCreateUser(operator, onCollege('filler'))).toBe(false);
  });

  it('refuses a region operator any role but filler and leader', () => {
    expect(canCreateUser(operator, onRegion('region-operator'))).toBe(false);
    expect(canCreateUser(operator, onProvince('auditor'))).toBe(false);
    expect(canCreateUser(operator, onProvince('province-admin'))).toBe(false);
  });

  it('refuses auditors, fillers and leaders any creation', () => {
    for (const role of ['auditor', 'filler', 'leader'] as const) {
      expect(
        canCreateUser({ role, unitCode: role === 'auditor' ? 'province' : 'R01' }, onRegion('filler')),
      ).toBe(false);
    }
  });
});

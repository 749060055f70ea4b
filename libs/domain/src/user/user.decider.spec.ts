import { actorOf, deciderSpec } from '../shared/testing';
import { ChangePassword, CreateUser, DisableUser } from './user.commands';
import { userDecider } from './user.decider';
import { UserCreated, UserDisabled, userStreamId } from './user.events';

const { given } = deciderSpec(userDecider);
const at = '2024-03-01T09:00:00+08:00';
const actor = actorOf('province-admin', 'province');

const create = (data: Partial<CreateUser['data']> = {}): CreateUser => ({
  type: 'CreateUser',
  data: { username: 'zhangsan', displayName: '张三', role: 'filler', unitCode: 'U01', ...data },
  at,
  actor,
});
const disable = (reason?: string): DisableUser => ({
  type: 'DisableUser',
  data: reason === undefined ? {} : { reason },
  at,
  actor,
});
const changePassword: ChangePassword = { type: 'ChangePassword', data: {}, at, actor };

const created: UserCreated = {
  type: 'UserCreated',
  data: { username: 'zhangsan', displayName: '张三', role: 'filler', unitCode: 'U01' },
};
const disabled: UserDisabled = { type: 'UserDisabled', data: { reason: '调离' } };

describe('user decider', () => {
  describe('CreateUser', () => {
    it('creates a user without any password in the event', () => {
      given([]).when(create()).then([created]);
    });

    it('stores the username in lower case, as its stream id does', () => {
      given([])
        .when(create({ username: ' ZhangSan ' }))
        .then([created]);
      expect(userStreamId('ZhangSan')).toBe('user-zhangsan');
    });

    it('creates a province admin on the province', () => {
      given([])
        .when(create({ username: 'admin', role: 'province-admin', unitCode: 'province' }))
        .then([
          {
            type: 'UserCreated',
            data: { username: 'admin', displayName: '张三', role: 'province-admin', unitCode: 'province' },
          },
        ]);
    });

    it('refuses a username that is taken', () => {
      given([created]).when(create()).thenThrows('USERNAME_TAKEN');
    });

    it('refuses a username with spaces or symbols', () => {
      given([])
        .when(create({ username: 'zhang san' }))
        .thenThrows('VALIDATION_FAILED');
      given([])
        .when(create({ username: '' }))
        .thenThrows('VALIDATION_FAILED');
    });

    it('refuses a blank display name or an unknown role', () => {
      given([])
        .when(create({ displayName: ' ' }))
        .thenThrows('VALIDATION_FAILED');
      given([])
        .when(create({ role: 'root' as never }))
        .thenThrows('VALIDATION_FAILED');
    });

    it('refuses an auditor off the province and a filler on it', () => {
      given([])
        .when(create({ role: 'auditor', unitCode: 'R01' }))
        .thenThrows('VALIDATION_FAILED');
      given([])
        .when(create({ unitCode: 'province' }))
        .thenThrows('VALIDATION_FAILED');
    });
  });

  describe('DisableUser', () => {
    it('disables an active user with a reason', () => {
      given([created]).when(disable('调离')).then([disabled]);
    });

    it('disables without a reason', () => {
      given([created])
        .when(disable())
        .then([{ type: 'UserDisabled', data: {} }]);
    });

    it('does nothing for a user already disabled', () => {
      given([created, disabled]).when(disable('again')).thenNothing();
    });

    it('refuses a user that does not exist', () => {
      given([]).when(disable()).thenThrows('NOT_FOUND');
    });
  });

  describe('ChangePassword', () => {
    it('records that the password changed, and nothing about it', () => {
      given([created])
        .when(changePassword)
        .then([{ type: 'UserPasswordChanged', data: {} }]);
    });

    it('refuses a user that does not exist', () => {
      given([]).when(changePassword).thenThrows('NOT_FOUND');
    });

    it('refuses a disabled user', () => {
      given([created, disabled]).when(changePassword).thenThrows('INVALID_TRANSITION');
    });
  });

  describe('state', () => {
    it('is absent, then active, then disabled', () => {
      given([]).thenState((s) => expect(s).toEqual({ status: 'absent' }));
      given([created, { type: 'UserPasswordChanged', data: {} }]).thenState((s) =>
        expect(s).toEqual({ status: 'active', ...created.data }),
      );
      given([created, disabled]).thenState((s) => expect(s.status).toBe('disabled'));
    });

    it('ignores a disabling it cannot place rather than throwing', () => {
      given([disabled]).thenState((s) => expect(s).toEqual({ status: 'absent' }));
    });
  });
});

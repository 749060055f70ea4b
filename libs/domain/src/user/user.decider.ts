import { Role, ROLES } from '../shared/actor';
import { Decider } from '../shared/decider';
import { DomainError } from '../shared/errors';
import { invalid, isBlank, PROVINCE_CODE, requireText } from '../shared/validation';
import { CreateUser, DisableUser, UserCommand } from './user.commands';
import { normalizeUsername, UserEvent } from './user.events';

export const USERNAME_PATTERN = /^[a-z0-9][a-z0-9._@-]{0,63}$/;
/** Roles that act for the whole province and so sit on the unit `province`. */
export const PROVINCE_ROLES: readonly Role[] = ['province-admin', 'auditor'];

export type UserState =
  | { status: 'absent' }
  | { status: 'active' | 'disabled'; username: string; displayName: string; role: Role; unitCode: string };

export const initialUserState = (): UserState => ({ status: 'absent' });

function create({ data }: CreateUser, state: UserState): UserEvent[] {
  if (state.status !== 'absent') throw new DomainError('USERNAME_TAKEN', `用户名 ${state.username} 已被使用`);
  const username = typeof data.username === 'string' ? normalizeUsername(data.username) : '';
  if (!USERNAME_PATTERN.test(username)) {
    throw invalid('用户名须为 1 到 64 位字母、数字或“._@-”', [
      {
        field: 'username',
        code: 'INVALID_USERNAME',
        message: '用户名须为 1 到 64 位字母、数字或“._@-”，以字母或数字开头',
      },
    ]);
  }
  const displayName = requireText(data.displayName, 'displayName', '姓名', 50);
  if (!ROLES.includes(data.role)) {
    throw invalid('角色不符合要求', [
      { field: 'role', code: 'INVALID_ROLE', message: `角色必须是 ${ROLES.join('、')} 之一` },
    ]);
  }
  if (isBlank(data.unitCode))
    throw invalid('缺少所属单位', [{ field: 'unitCode', code: 'REQUIRED', message: '缺少所属单位' }]);
  if (PROVINCE_ROLES.includes(data.role) !== (data.unitCode === PROVINCE_CODE)) {
    throw invalid('省级管理员和审计员只能属于 province，其他角色不能属于 province', [
      { field: 'unitCode', code: 'ROLE_UNIT_MISMATCH', message: '角色与所属单位不匹配' },
    ]);
  }
  return [{ type: 'UserCreated', data: { username, displayName, role: data.role, unitCode: data.unitCode } }];
}

function disable({ data }: DisableUser, state: UserState): UserEvent[] {
  if (state.status === 'absent') throw new DomainError('NOT_FOUND', '用户不存在');
  if (state.status === 'disabled') return [];
  const reason = isBlank(data.reason) ? null : requireText(data.reason, 'reason', '原因', 500);
  return [{ type: 'UserDisabled', data: reason === null ? {} : { reason } }];
}

export const userDecider: Decider<UserCommand, UserState, UserEvent> = {
  initialState: initialUserState,

  decide(command, state) {
    switch (command.type) {
      case 'CreateUser':
        return create(command, state);
      case 'DisableUser':
        return disable(command, state);
      case 'ChangePassword':
        if (state.status === 'absent') throw new DomainError('NOT_FOUND', '用户不存在');
        if (state.status === 'disabled')
          throw new DomainError('INVALID_TRANSITION', '用户已停用，不能修改密码');
        return [{ type: 'UserPasswordChanged', data: {} }];
    }
  },

  evolve(state, event) {
    switch (event.type) {
      case 'UserCreated':
        return { status: 'active', ...event.data };
      case 'UserDisabled':
        return state.status === 'absent' ? state : { ...state, status: 'disabled' };
      default:
        return state;
    }
  },
};

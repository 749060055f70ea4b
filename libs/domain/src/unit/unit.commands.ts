import { Command } from '../shared/decider';

/** The handler checks that `parentCode` is a region of the plan and that the code is not a plan unit. */
export type RegisterSchool = Command<'RegisterSchool', { code: string; name: string; parentCode: string }>;

export type UnitCommand = RegisterSchool;

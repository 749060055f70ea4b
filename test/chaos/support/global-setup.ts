import baseSetup from '../../support/global-setup';
import { ensureBuilt } from './build';

/** The integration template database, plus the compiled apps the scenarios run as child processes. */
export default async function globalSetup(): Promise<void> {
  await baseSetup();
  const build = ensureBuilt();
  if (build.built) console.log(`chaos: compiled apps in ${build.ms} ms`);
}

// Copies the web console's browser files next to the compiled API, where ConsoleModule looks for them.
import { cpSync, rmSync } from 'node:fs';
import { fileURLToPath, URL } from 'node:url';

const path = (relative) => fileURLToPath(new URL(relative, import.meta.url));
const from = path('../apps/api/src/console/assets/');
const to = path('../dist/apps/api/src/console/assets/');
rmSync(to, { recursive: true, force: true });
cpSync(from, to, { recursive: true });

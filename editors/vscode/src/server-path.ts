// Finds the `marginalia` binary: the `marginalia.serverPath` setting if set,
// else the first `marginalia` on PATH. Pure Node (no `vscode` import), so the
// protocol test can exercise it too.
import { accessSync, constants, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, isAbsolute, join, resolve } from 'node:path';

export interface ServerLookup {
  /** The binary to run, when one was found. */
  path?: string;
  /** Every place that was looked at, in order, for the error message. */
  searched: string[];
  /** Why the configured path was rejected, when the setting was used. */
  problem?: string;
}

/** Expands `~` and `${workspaceFolder}` in a configured path. */
export function expandPath(configured: string, workspaceFolder?: string): string {
  let path = configured.trim();
  if (path === '~' || path.startsWith('~/')) {
    path = join(homedir(), path.slice(1));
  }
  if (workspaceFolder !== undefined) {
    path = path.split('${workspaceFolder}').join(workspaceFolder);
  }
  if (!isAbsolute(path) && workspaceFolder !== undefined) {
    path = resolve(workspaceFolder, path);
  }
  return path;
}

function isExecutableFile(path: string): boolean {
  try {
    if (!statSync(path).isFile()) {
      return false;
    }
    accessSync(path, process.platform === 'win32' ? constants.F_OK : constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Executable names to try for `marginalia` on this platform. */
function candidateNames(env: NodeJS.ProcessEnv): string[] {
  if (process.platform !== 'win32') {
    return ['marginalia'];
  }
  const extensions = (env.PATHEXT ?? '.EXE;.CMD;.BAT').split(';').filter((e) => e.length > 0);
  return extensions.map((e) => `marginalia${e.toLowerCase()}`);
}

export function findServer(configured: string, workspaceFolder: string | undefined, env: NodeJS.ProcessEnv = process.env): ServerLookup {
  if (configured.trim() !== '') {
    const path = expandPath(configured, workspaceFolder);
    if (isExecutableFile(path)) {
      return { path, searched: [path] };
    }
    return { searched: [path], problem: `marginalia.serverPath is set to "${configured}", but ${path} is not an executable file` };
  }
  const searched: string[] = [];
  const dirs = (env.PATH ?? '').split(delimiter).filter((d) => d.length > 0);
  // `cargo install` puts binaries here; VS Code started from a desktop launcher
  // often has a PATH without it.
  dirs.push(join(homedir(), '.cargo', 'bin'));
  for (const dir of dirs) {
    for (const name of candidateNames(env)) {
      const path = join(dir, name);
      searched.push(path);
      if (isExecutableFile(path)) {
        return { path, searched };
      }
    }
  }
  return { searched };
}

// Finds the `marginalia` binary: the `marginalia.serverPath` setting if set,
// else the first `marginalia` on PATH (and ~/.cargo/bin), else the binary bundled
// in a platform .vsix at `server/marginalia` (scripts/release.sh). A user's own
// binary wins over the bundled one, so that a newer build is not shadowed by
// the one the extension shipped with. Also the protocol version check. Pure Node
// (no `vscode` import), so the protocol test can exercise it too.
import { accessSync, constants, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, isAbsolute, join, resolve } from 'node:path';

/**
 * The protocol between this extension and the server, sent as
 * `initializationOptions.marginaliaProtocol` and compared with the server's
 * `capabilities.experimental.marginaliaProtocol`. Keep it equal to
 * `PROTOCOL_VERSION` in src/lsp/server.rs.
 */
export const PROTOCOL = 1;

/** A warning when the server's initialize result reports another protocol (or none), else undefined. */
export function protocolMismatch(
  result: { capabilities?: { experimental?: unknown }; serverInfo?: { version?: string } } | undefined,
  serverPath: string,
): string | undefined {
  const experimental = result?.capabilities?.experimental as { marginaliaProtocol?: unknown } | undefined;
  const theirs = experimental?.marginaliaProtocol;
  if (theirs === PROTOCOL) {
    return undefined;
  }
  return (
    `marginalia: the server ${serverPath} (version ${result?.serverInfo?.version ?? '?'}) speaks protocol ${String(theirs ?? 'none')}, ` +
    `this extension protocol ${PROTOCOL}; some commands may not work. Use the server bundled with the extension ` +
    '(clear "marginalia.serverPath", take the other `marginalia` off PATH) or update both from the same release.'
  );
}

export interface ServerLookup {
  /** The binary to run, when one was found. */
  path?: string;
  /** Where it was found: the setting, PATH (or ~/.cargo/bin), or the extension's own bundled binary. */
  source?: 'setting' | 'PATH' | 'bundled';
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

/** The binary a platform .vsix bundles, under the extension's folder. */
export function bundledServer(extensionPath: string): string {
  return join(extensionPath, 'server', process.platform === 'win32' ? 'marginalia.exe' : 'marginalia');
}

/**
 * `bundled` is the extension's own binary (bundledServer), tried last; a
 * universal .vsix (plain `npm run package`) has none, and then nothing is
 * found unless the setting or PATH provides one.
 */
export function findServer(
  configured: string,
  workspaceFolder: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
  bundled?: string,
): ServerLookup {
  if (configured.trim() !== '') {
    const path = expandPath(configured, workspaceFolder);
    if (isExecutableFile(path)) {
      return { path, source: 'setting', searched: [path] };
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
        return { path, source: 'PATH', searched };
      }
    }
  }
  if (bundled !== undefined) {
    searched.push(bundled);
    if (isExecutableFile(bundled)) {
      return { path: bundled, source: 'bundled', searched };
    }
  }
  return { searched };
}

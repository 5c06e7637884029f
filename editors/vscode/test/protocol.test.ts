// Protocol test: drives the real `marginalia lsp` binary over stdio with the
// JSON-RPC stack VS Code uses (vscode-jsonrpc / vscode-languageserver-protocol),
// on a temporary copy of the bundled corpus: initialize, open a seed article and
// wait for its diagnostics, hover Lavrov, go to an agreement's definition, take
// the "add to knowledge base" quick fix on an unknown name, shut down. Also the
// server lookup (setting, PATH, then the bundled server/marginalia) and the
// protocol version check on both sides (a second server, told another version).
// The binary comes from MARGINALIA_BIN, else ../../target/debug/marginalia.
import assert from 'node:assert/strict';
import { ChildProcess, spawn } from 'node:child_process';
import { chmodSync, copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { after, before, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import {
  CodeAction,
  CodeActionRequest,
  DefinitionRequest,
  Diagnostic,
  DidOpenTextDocumentNotification,
  ExitNotification,
  HoverRequest,
  InitializeRequest,
  InitializedNotification,
  LocationLink,
  MarkupContent,
  Position,
  ProtocolConnection,
  PublishDiagnosticsNotification,
  PublishDiagnosticsParams,
  RegistrationRequest,
  ShowMessageNotification,
  ShowMessageParams,
  ShutdownRequest,
  TextDocumentEdit,
  TextEdit,
  WorkspaceEdit,
  createProtocolConnection,
} from 'vscode-languageserver-protocol/node';
import { StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node';

import { PROTOCOL, findServer, protocolMismatch } from '../src/server-path';

const repoRoot = resolve(__dirname, '..', '..', '..', '..');
const binary = process.env.MARGINALIA_BIN ?? join(repoRoot, 'target', 'debug', 'marginalia');
const SEED = '000_650f7ada08eebc05.txt';
const UNKNOWN = '900_unknown_entity.txt';
// A made-up person: the server should flag the name as unknown-entity.
const UNKNOWN_TEXT =
  'date 2022-02-10\n\nOlesia Markovich Jr told reporters in Kyiv that the talks would continue. ' +
  '“We are ready to meet again next week,” Olesia Markovich Jr said, adding that the Minsk agreements ' +
  'remained the basis of any settlement.\n';

let work: string;
let server: ChildProcess;
let connection: ProtocolConnection;
let stderr = '';
const diagnostics = new Map<string, PublishDiagnosticsParams>();
const diagnosticWaiters: (() => void)[] = [];

/** Resolves with the first published diagnostics for `uri` that satisfy `accept`. */
function waitForDiagnostics(uri: string, accept: (d: Diagnostic[]) => boolean, timeoutMs = 20000): Promise<Diagnostic[]> {
  return new Promise((resolvePromise, reject) => {
    const timer = setTimeout(() => reject(new Error(`no matching diagnostics for ${uri} within ${timeoutMs} ms`)), timeoutMs);
    const check = () => {
      const published = diagnostics.get(uri);
      if (published !== undefined && accept(published.diagnostics)) {
        clearTimeout(timer);
        resolvePromise(published.diagnostics);
        return true;
      }
      return false;
    };
    if (!check()) {
      const waiter = () => {
        if (check()) {
          diagnosticWaiters.splice(diagnosticWaiters.indexOf(waiter), 1);
        }
      };
      diagnosticWaiters.push(waiter);
    }
  });
}

/** The LSP position (UTF-16, like JavaScript strings) of `needle` in `text`. */
function positionOf(text: string, needle: string, inside = 0): Position {
  const offset = text.indexOf(needle);
  assert.ok(offset >= 0, `"${needle}" not found`);
  const before = text.slice(0, offset + inside);
  const line = before.split('\n').length - 1;
  return { line, character: before.length - (before.lastIndexOf('\n') + 1) };
}

function uriOf(path: string): string {
  return pathToFileURL(path).href;
}

function open(path: string): { uri: string; text: string } {
  const text = readFileSync(path, 'utf8');
  const uri = uriOf(path);
  void connection.sendNotification(DidOpenTextDocumentNotification.type, {
    textDocument: { uri, languageId: 'news-article', version: 1, text },
  });
  return { uri, text };
}

/** A diagnostic's message as plain text (LSP 3.18 allows markup). */
function messageText(diagnostic: Diagnostic): string {
  return typeof diagnostic.message === 'string' ? diagnostic.message : diagnostic.message.value;
}

/** Applies non-overlapping LSP text edits to a text, as an editor does. */
function applyEdits(text: string, edits: TextEdit[]): string {
  const lineStarts = [0];
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '\n') {
      lineStarts.push(i + 1);
    }
  }
  const offset = (p: Position) => lineStarts[p.line] + p.character;
  const sorted = [...edits].sort((a, b) => offset(b.range.start) - offset(a.range.start));
  return sorted.reduce((t, e) => t.slice(0, offset(e.range.start)) + e.newText + t.slice(offset(e.range.end)), text);
}

before(async () => {
  assert.ok(existsSync(binary), `marginalia binary not found at ${binary}: run \`cargo build\` or set MARGINALIA_BIN`);
  work = mkdtempSync(join(tmpdir(), 'marginalia-protocol-'));
  cpSync(join(repoRoot, 'corpus'), join(work, 'corpus'), { recursive: true });
  writeFileSync(join(work, 'corpus', 'articles', UNKNOWN), UNKNOWN_TEXT);

  server = spawn(binary, ['lsp'], { cwd: work, stdio: ['pipe', 'pipe', 'pipe'] });
  server.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  connection = createProtocolConnection(new StreamMessageReader(server.stdout!), new StreamMessageWriter(server.stdin!));
  connection.onNotification(PublishDiagnosticsNotification.type, (params) => {
    diagnostics.set(params.uri, params);
    for (const waiter of [...diagnosticWaiters]) {
      waiter();
    }
  });
  connection.onRequest(RegistrationRequest.type, () => undefined);
  connection.listen();
});

after(async () => {
  if (server.exitCode === null) {
    server.kill();
  }
  connection?.dispose();
  rmSync(work, { recursive: true, force: true });
});

test('server-path lookup: the setting, else PATH; a bad setting is reported', () => {
  assert.equal(findServer(binary, undefined).path, binary);
  const onPath = findServer('', undefined, { PATH: dirname(binary) });
  assert.equal(onPath.path, join(dirname(binary), 'marginalia'));
  const nowhere = findServer('', undefined, { PATH: work });
  assert.ok(nowhere.path === undefined || !nowhere.path.startsWith(work), 'nothing found in a folder without the binary');
  assert.ok(nowhere.searched.includes(join(work, 'marginalia')), 'the searched paths are listed');
  const missing = findServer(join(work, 'no-such-marginalia'), undefined);
  assert.equal(missing.path, undefined);
  assert.match(missing.problem ?? '', /not an executable file/);
});

// Issue 17, item 5: every ’ in an article got VS Code's "ambiguous unicode"
// box. The extension's defaults for news articles turn that highlight off.
test('news articles get no ambiguous-unicode boxes by default', () => {
  const manifest = JSON.parse(readFileSync(resolve(__dirname, '..', '..', 'package.json'), 'utf8'));
  const defaults = manifest.contributes.configurationDefaults['[news-article]'];
  assert.equal(defaults['editor.unicodeHighlight.ambiguousCharacters'], false);
  assert.equal(defaults['editor.unicodeHighlight.invisibleCharacters'], false);
});

test('server-path lookup: the bundled binary is the last resort, after the setting and PATH', () => {
  // A platform .vsix's layout: <extension>/server/marginalia.
  const extension = join(work, 'extension');
  mkdirSync(join(extension, 'server'), { recursive: true });
  const bundled = join(extension, 'server', 'marginalia');
  copyFileSync(binary, bundled);
  chmodSync(bundled, 0o755);
  const onlyBundled = findServer('', undefined, { PATH: work }, bundled);
  if (onlyBundled.source !== 'PATH') {
    // (unless this machine has one in ~/.cargo/bin, which counts as PATH)
    assert.equal(onlyBundled.path, bundled);
    assert.equal(onlyBundled.source, 'bundled');
  }
  const pathWins = findServer('', undefined, { PATH: dirname(binary) }, bundled);
  assert.equal(pathWins.path, join(dirname(binary), 'marginalia'));
  assert.equal(pathWins.source, 'PATH');
  const settingWins = findServer(binary, undefined, { PATH: work }, bundled);
  assert.equal(settingWins.path, binary);
  assert.equal(settingWins.source, 'setting');
  const badSetting = findServer(join(work, 'no-such-marginalia'), undefined, { PATH: work }, bundled);
  assert.equal(badSetting.path, undefined, 'a broken setting is reported, not replaced by the bundled binary');
  const noneBundled = findServer('', undefined, { PATH: work }, join(work, 'no-server', 'marginalia'));
  assert.ok(noneBundled.searched.includes(join(work, 'no-server', 'marginalia')), 'the bundled path is listed as searched');
});

test('protocol versions: a client with another protocol gets a window/showMessage warning naming both', async () => {
  const other = spawn(binary, ['lsp'], { cwd: work, stdio: ['pipe', 'pipe', 'pipe'] });
  const conn = createProtocolConnection(new StreamMessageReader(other.stdout!), new StreamMessageWriter(other.stdin!));
  const messages: ShowMessageParams[] = [];
  conn.onNotification(ShowMessageNotification.type, (params) => {
    messages.push(params);
  });
  conn.onRequest(RegistrationRequest.type, () => undefined);
  conn.listen();
  try {
    const result = await conn.sendRequest(InitializeRequest.type, {
      processId: process.pid,
      rootUri: null,
      capabilities: {},
      initializationOptions: { marginaliaProtocol: PROTOCOL + 998 },
    });
    assert.equal((result.capabilities.experimental as { marginaliaProtocol?: number }).marginaliaProtocol, PROTOCOL);
    // The server sends the warning while it answers initialize, but
    // tower-lsp-server writes notifications and responses from two queues: the
    // warning may arrive after the response. Wait for it (at most 10 s).
    for (let waited = 0; waited < 10000 && !messages.some((m) => m.type === 2); waited += 20) {
      await new Promise((resolveWait) => setTimeout(resolveWait, 20));
    }
    const warning = messages.find((m) => m.type === 2);
    assert.ok(warning, `a warning; got ${JSON.stringify(messages)}`);
    assert.match(warning.message, new RegExp(`protocol ${PROTOCOL + 998}.*protocol ${PROTOCOL}`));
    // And the client side: a server reporting another protocol is named in the extension's warning.
    assert.equal(protocolMismatch(result, binary), undefined);
    assert.match(protocolMismatch({ capabilities: {} }, '/x/marginalia') ?? '', /\/x\/marginalia .* protocol none, this extension protocol 1/);
    await conn.sendRequest(ShutdownRequest.type);
    await conn.sendNotification(ExitNotification.type);
  } finally {
    conn.dispose();
    if (other.exitCode === null) {
      other.kill();
    }
  }
});

test('initialize', async () => {
  const result = await connection.sendRequest(InitializeRequest.type, {
    processId: process.pid,
    rootUri: uriOf(work),
    workspaceFolders: [{ uri: uriOf(work), name: 'work' }],
    capabilities: {
      textDocument: {
        hover: { contentFormat: ['markdown', 'plaintext'] },
        definition: { linkSupport: true },
        publishDiagnostics: { relatedInformation: true },
        codeAction: { codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix'] } } },
      },
      workspace: {
        didChangeWatchedFiles: { dynamicRegistration: true },
        workspaceFolders: true,
        workspaceEdit: { documentChanges: true, resourceOperations: ['create', 'rename', 'delete'] },
      },
    },
    initializationOptions: { annotator: 'protocol-test', labels: [], marginaliaProtocol: PROTOCOL },
  });
  assert.equal(result.serverInfo?.name, 'marginalia');
  assert.equal(protocolMismatch(result, binary), undefined, 'the server speaks the extension\'s protocol');
  assert.equal(result.capabilities.hoverProvider, true);
  assert.ok(result.capabilities.codeActionProvider, 'code actions advertised');
  assert.deepEqual(result.capabilities.semanticTokensProvider?.legend.tokenTypes, ['class', 'namespace', 'enumMember', 'interface', 'string']);
  await connection.sendNotification(InitializedNotification.type, {});
});

test('open a seed article: diagnostics arrive, with the unclosed quotation mark', async () => {
  const { uri } = open(join(work, 'corpus', 'articles', SEED));
  const published = await waitForDiagnostics(uri, (d) => d.some((x) => x.code === 'unclosed-quote'));
  const unclosed = published.find((d) => d.code === 'unclosed-quote')!;
  assert.equal(unclosed.severity, 2, 'a warning');
  assert.equal(unclosed.range.start.line, 8);
  assert.equal(unclosed.range.start.character, 0);
});

test('hover Lavrov: a person card with his dated role', async () => {
  const path = join(work, 'corpus', 'articles', SEED);
  const text = readFileSync(path, 'utf8');
  const hover = await connection.sendRequest(HoverRequest.type, {
    textDocument: { uri: uriOf(path) },
    position: positionOf(text, 'Lavrov', 2),
  });
  assert.ok(hover, 'a hover');
  const markdown = (hover.contents as MarkupContent).value;
  assert.match(markdown, /Sergey Lavrov/);
  assert.match(markdown, /Minister of Foreign Affairs of Russia/);
  assert.match(markdown, /2021-12-02/);
});

test('definition of "Minsk peace agreements": the id line in agreements.json', async () => {
  const path = join(work, 'corpus', 'articles', SEED);
  const text = readFileSync(path, 'utf8');
  const found = await connection.sendRequest(DefinitionRequest.type, {
    textDocument: { uri: uriOf(path) },
    position: positionOf(text, 'Minsk peace agreements', 6),
  });
  assert.ok(Array.isArray(found) && found.length === 1, 'one definition');
  const link = found[0] as LocationLink;
  const kbPath = join(work, 'corpus', 'kb', 'agreements.json');
  assert.equal(link.targetUri, uriOf(kbPath));
  const kbLines = readFileSync(kbPath, 'utf8').split('\n');
  assert.match(kbLines[link.targetRange.start.line], /"id": "minsk-agreements"/);
});

test('quick fix on an unknown name adds a well-formed entry to the knowledge base', async () => {
  const { uri, text } = open(join(work, 'corpus', 'articles', UNKNOWN));
  const published = await waitForDiagnostics(uri, (d) => d.some((x) => x.code === 'unknown-entity'));
  const unknown = published.filter((d) => d.code === 'unknown-entity');
  assert.ok(unknown.length >= 1);
  assert.match(messageText(unknown[0]), /"Olesia Markovich Jr" looks like a person but is not in the knowledge base/);
  assert.deepEqual(unknown[0].range.start, positionOf(text, 'Olesia Markovich Jr'));

  const actions = (await connection.sendRequest(CodeActionRequest.type, {
    textDocument: { uri },
    range: unknown[0].range,
    context: { diagnostics: [unknown[0]], only: ['quickfix'] },
  })) as CodeAction[];
  const titles = actions.map((a) => a.title);
  const fix = actions.find((a) => a.title === 'Add "Olesia Markovich Jr" to knowledge base as person');
  assert.ok(fix, `the person quick fix is offered (got: ${titles.join(' | ')})`);
  assert.equal(fix.isPreferred, true);
  assert.equal(fix.kind, 'quickfix');

  const entitiesPath = join(work, 'corpus', 'kb', 'entities.json');
  const edits = (fix.edit as WorkspaceEdit).changes?.[uriOf(entitiesPath)];
  assert.ok(edits && edits.length > 0, 'the edit goes to entities.json');
  const before = readFileSync(entitiesPath, 'utf8');
  const afterText = applyEdits(before, edits);
  const kb = JSON.parse(afterText) as { entities: { id: string; name: string; kind: string }[] };
  const added = kb.entities.find((e) => e.name === 'Olesia Markovich Jr');
  assert.ok(added, 'the new entry is in the edited file');
  assert.equal(added.kind, 'person');
  assert.equal(kb.entities.length, (JSON.parse(before) as { entities: unknown[] }).entities.length + 1);
});

test('label a mention: the code action creates the sidecar with an annotation by the configured annotator', async () => {
  const path = join(work, 'corpus', 'articles', SEED);
  const text = readFileSync(path, 'utf8');
  const position = positionOf(text, 'Blinken told', 2);
  const actions = (await connection.sendRequest(CodeActionRequest.type, {
    textDocument: { uri: uriOf(path) },
    range: { start: position, end: position },
    context: { diagnostics: [] },
  })) as CodeAction[];
  const titles = actions.map((a) => a.title);
  assert.ok(titles.includes('Link to Antony Blinken (antony-blinken)'), `link offered (got: ${titles.join(' | ')})`);
  const label = actions.find((a) => a.title === 'Label as PERSON');
  assert.ok(label, `"Label as PERSON" offered (got: ${titles.join(' | ')})`);
  assert.equal(label.kind, 'refactor.annotate');

  // The sidecar does not exist yet: the edit creates it, then fills it.
  const sidecar = uriOf(path.replace(/\.txt$/, '.ann.jsonl'));
  const changes = label.edit?.documentChanges ?? [];
  assert.ok(changes.some((c) => 'kind' in c && c.kind === 'create' && c.uri === sidecar), 'creates NAME.ann.jsonl');
  const edit = changes.find((c): c is TextDocumentEdit => 'textDocument' in c && c.textDocument.uri === sidecar);
  assert.ok(edit, 'edits NAME.ann.jsonl');
  const written = applyEdits('', edit.edits as TextEdit[]);
  const lines = written.split('\n').filter((l) => l.length > 0);
  assert.equal(lines.length, 1, `one annotation line:\n${written}`);
  const annotation = JSON.parse(lines[0]) as Record<string, unknown>;
  const offset = text.indexOf('Blinken told');
  const codePoints = Array.from(text.slice(0, offset)).length;
  assert.equal(annotation.kind, 'entity');
  assert.equal(annotation.label, 'PERSON');
  assert.equal(annotation.exact, 'Blinken');
  assert.equal(annotation.start, codePoints);
  assert.equal(annotation.end, codePoints + 'Blinken'.length);
  assert.equal(annotation.status, 'accepted');
  assert.equal(annotation.annotator, 'protocol-test', 'the annotator from initializationOptions');
});

test('shutdown and exit', async () => {
  await connection.sendRequest(ShutdownRequest.type);
  const exited = new Promise<number | null>((resolveExit) => server.once('exit', (code) => resolveExit(code)));
  await connection.sendNotification(ExitNotification.type);
  assert.equal(await exited, 0, `server exit code (stderr: ${stderr.slice(-2000)})`);
});

// The VS Code extension: starts `marginalia lsp` for article, knowledge-base and
// configuration files, opens files matching `marginalia.articleGlobs` as
// `news-article`, and registers the annotation commands (which run the server's
// code actions, see actions.ts). Everything else (diagnostics, hover, definition,
// references, symbols, semantic tokens, quick fixes) comes from the language client.
import * as vscode from 'vscode';
import { LanguageClient, LanguageClientOptions, ServerOptions, State } from 'vscode-languageclient/node';

import { labelWithPick, matchers, runMatchingAction } from './actions';
import { PROTOCOL, bundledServer, findServer, protocolMismatch } from './server-path';

const LANGUAGE_ID = 'news-article';

let client: LanguageClient | undefined;
let output: vscode.LogOutputChannel | undefined;

function settings() {
  const config = vscode.workspace.getConfiguration('marginalia');
  return {
    serverPath: config.get<string>('serverPath', ''),
    articleGlobs: config.get<string[]>('articleGlobs', []),
    annotator: config.get<string>('annotator', ''),
    labels: config.get<string[]>('labels', []),
  };
}

function workspaceFolderPath(): string | undefined {
  const folder = vscode.workspace.workspaceFolders?.[0];
  return folder?.uri.scheme === 'file' ? folder.uri.fsPath : undefined;
}

/** Opens plain-text files matching `marginalia.articleGlobs` as news articles. */
async function adoptArticle(document: vscode.TextDocument): Promise<void> {
  if (document.languageId !== 'plaintext' || document.uri.scheme !== 'file') {
    return;
  }
  const globs = settings().articleGlobs;
  if (globs.some((pattern) => vscode.languages.match({ scheme: 'file', pattern }, document) > 0)) {
    await vscode.languages.setTextDocumentLanguage(document, LANGUAGE_ID);
  }
}

async function reportMissingServer(searched: string[], problem: string | undefined): Promise<void> {
  output?.appendLine('marginalia: the language server binary was not found. Looked at:');
  for (const path of searched) {
    output?.appendLine(`  ${path}`);
  }
  const why = problem ?? 'no `marginalia` binary on PATH, and this extension bundles none (a platform .vsix from scripts/release.sh does)';
  const choice = await vscode.window.showErrorMessage(
    `marginalia: ${why}. Install the server with \`cargo install --path .\` in a marginalia checkout ` +
      '(it goes to ~/.cargo/bin), or set "marginalia.serverPath" to the binary, then run "marginalia: Restart language server".',
    'Open Settings',
    'Show searched paths',
  );
  if (choice === 'Open Settings') {
    await vscode.commands.executeCommand('workbench.action.openSettings', 'marginalia.serverPath');
  } else if (choice === 'Show searched paths') {
    output?.show();
  }
}

async function startClient(context: vscode.ExtensionContext): Promise<void> {
  const current = settings();
  const lookup = findServer(current.serverPath, workspaceFolderPath(), process.env, bundledServer(context.extensionPath));
  if (lookup.path === undefined) {
    await reportMissingServer(lookup.searched, lookup.problem);
    return;
  }
  output?.appendLine(`marginalia: starting ${lookup.path} lsp (from ${lookup.source ?? '?'})`);
  const serverOptions: ServerOptions = {
    run: { command: lookup.path, args: ['lsp'] },
    debug: { command: lookup.path, args: ['lsp'], options: { env: { ...process.env, MARGINALIA_LOG: 'debug' } } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: 'file', language: LANGUAGE_ID },
      { scheme: 'untitled', language: LANGUAGE_ID },
      { scheme: 'file', language: 'json', pattern: '**/kb/**/*.json' },
      { scheme: 'file', language: 'json', pattern: '**/corpus/**/*.json' },
      { scheme: 'file', pattern: '**/marginalia.toml' },
      // Annotation sidecars (NAME.ann.jsonl beside NAME.txt), validated live.
      { scheme: 'file', pattern: '**/*.ann.jsonl' },
      ...current.articleGlobs.map((pattern) => ({ scheme: 'file', pattern })),
    ],
    // The server reads `annotator` at start and again from each
    // workspace/didChangeConfiguration, which the client sends for the whole
    // `marginalia` section. `labels` is for the client's label picker only.
    initializationOptions: { annotator: current.annotator, marginaliaProtocol: PROTOCOL },
    synchronize: { configurationSection: 'marginalia' },
    outputChannel: output,
  };
  client = new LanguageClient('marginalia', 'marginalia', serverOptions, clientOptions);
  try {
    await client.start();
  } catch (error) {
    vscode.window.showErrorMessage(`marginalia: the language server at ${lookup.path} failed to start: ${String(error)}`);
    output?.show();
    return;
  }
  const mismatch = protocolMismatch(client.initializeResult, lookup.path);
  if (mismatch !== undefined) {
    output?.appendLine(mismatch);
    void vscode.window.showWarningMessage(mismatch);
  }
  context.subscriptions.push(
    client.onDidChangeState((event) => {
      if (event.newState === State.Stopped) {
        output?.appendLine('marginalia: the language server stopped');
      }
    }),
  );
}

async function stopClient(): Promise<void> {
  const running = client;
  client = undefined;
  if (running !== undefined && running.isRunning()) {
    await running.stop();
  }
}

/** Wraps a command so that its failure is shown instead of lost. */
function guarded(run: () => Promise<void>): () => Promise<void> {
  return async () => {
    try {
      await run();
    } catch (error) {
      vscode.window.showErrorMessage(`marginalia: ${error instanceof Error ? error.message : String(error)}`);
    }
  };
}

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  output = vscode.window.createOutputChannel('marginalia', { log: true });
  context.subscriptions.push(output);

  const register = (command: string, run: () => Promise<void>) =>
    context.subscriptions.push(vscode.commands.registerCommand(command, guarded(run)));
  register('marginalia.labelAs', () => labelWithPick(settings().labels));
  register('marginalia.labelAsPerson', () => runMatchingAction(matchers.labelAs('PERSON')));
  register('marginalia.labelAsOrg', () => runMatchingAction(matchers.labelAs('ORG')));
  register('marginalia.labelAsPlace', () => runMatchingAction(matchers.labelAs('PLACE')));
  register('marginalia.labelAsAgreement', () => runMatchingAction(matchers.labelAs('AGREEMENT')));
  register('marginalia.linkEntity', () => runMatchingAction(matchers.link()));
  register('marginalia.acceptSuggestionAtCursor', () => runMatchingAction(matchers.accept()));
  register('marginalia.rejectSuggestionAtCursor', () => runMatchingAction(matchers.reject()));
  register('marginalia.removeAnnotationAtCursor', () => runMatchingAction(matchers.remove()));
  register('marginalia.attributeQuoteAtCursor', () => runMatchingAction(matchers.attribute()));
  register('marginalia.addToKnowledgeBase', () => runMatchingAction(matchers.addToKb()));
  register('marginalia.showOutput', async () => output?.show());
  register('marginalia.restartServer', async () => {
    await stopClient();
    await startClient(context);
  });

  context.subscriptions.push(
    vscode.workspace.onDidOpenTextDocument((document) => void adoptArticle(document)),
    vscode.workspace.onDidChangeConfiguration(async (event) => {
      if (event.affectsConfiguration('marginalia.serverPath') || event.affectsConfiguration('marginalia.articleGlobs')) {
        const choice = await vscode.window.showInformationMessage(
          'marginalia: the server path or article globs changed; restart the language server to use them.',
          'Restart',
        );
        if (choice === 'Restart') {
          await vscode.commands.executeCommand('marginalia.restartServer');
        }
      }
    }),
  );
  for (const document of vscode.workspace.textDocuments) {
    await adoptArticle(document);
  }
  await startClient(context);
}

export async function deactivate(): Promise<void> {
  await stopClient();
}

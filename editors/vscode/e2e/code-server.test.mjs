// End-to-end test of the packaged extension in real VS Code: code-server (VS Code
// in a browser) driven through its UI by playwright-core with Debian's Chromium.
//
// It installs ONLY the platform .vsix from dist/ (the server binary is inside it,
// at extension/server/marginalia) into a fresh code-server, with no `marginalia`
// on PATH, no ~/.cargo/bin and no MARGINALIA_BIN, opens a copy of the bundled
// corpus folder, and checks what a person sees:
//   1. the article's diagnostics in the Problems panel (unclosed-quote);
//   2. a hover card on "Lavrov" with his role dated on the article's date;
//   3. go to definition on "Minsk peace agreements" lands on the entry's id line
//      in kb/agreements.json;
//   4. a code action picked from the Ctrl+. menu ("Label as PLACE" on "Latvia")
//      writes the annotation to the article's sidecar on disk;
// and that the language server running is the one from the .vsix. Screenshots
// of each step go to $MARGINALIA_E2E_ARTIFACTS (default target/code-server-e2e/artifacts).
//
// Run by editors/vscode/e2e/run.sh, which installs code-server, Node 24 and
// Chromium (editors/vscode/e2e/install.sh) and passes their paths:
//   CODE_SERVER   code-server's out/node/entry.js, run with this Node (24, as
//                 code-server's native modules were built for it)
//   CHROMIUM      the browser (default /usr/bin/chromium)
//   MARGINALIA_VSIX  the platform .vsix (default: the one in dist/)
// Everything listens on 127.0.0.1 only.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';

import { chromium } from 'playwright-core';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const codeServer = requiredFile('CODE_SERVER', process.env.CODE_SERVER);
const browserPath = requiredFile('CHROMIUM', process.env.CHROMIUM || '/usr/bin/chromium');
const vsix = requiredFile('MARGINALIA_VSIX', process.env.MARGINALIA_VSIX || findVsix());
const artifacts = process.env.MARGINALIA_E2E_ARTIFACTS || path.join(repo, 'target/code-server-e2e/artifacts');
const ANNOTATOR = 'code-server-e2e';
const SEED = '000_650f7ada08eebc05.txt';
/** Each UI wait; generous, since two cores are shared with the build. */
const STEP_TIMEOUT = 90_000;

function requiredFile(name, file) {
  assert.ok(file, `${name} is not set`);
  assert.ok(fs.existsSync(file), `${name}: ${file} does not exist`);
  return file;
}

function findVsix() {
  const dist = path.join(repo, 'dist');
  const found = fs.existsSync(dist) ? fs.readdirSync(dist).filter((f) => /^marginalia-.*-linux-x64\.vsix$/.test(f)) : [];
  assert.equal(found.length, 1, `expected one dist/marginalia-*-linux-x64.vsix (run scripts/release.sh), found ${found}`);
  return path.join(dist, found[0]);
}

/** A free port on 127.0.0.1. */
function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Polls `probe` until it returns a truthy value, or fails with `what`. */
async function waitFor(what, probe, timeout = STEP_TIMEOUT) {
  const deadline = Date.now() + timeout;
  let last;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value) {
        return value;
      }
    } catch (error) {
      last = error;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`timed out after ${timeout} ms waiting for ${what}${last ? `: ${last.message}` : ''}`);
}

// PATH without any folder holding a `marginalia`, so only the .vsix can provide it.
const cleanPath = (process.env.PATH || '')
  .split(path.delimiter)
  .filter((dir) => dir && !fs.existsSync(path.join(dir, 'marginalia')))
  .join(path.delimiter);

let work;
let corpus;
let userData;
let extensions;
let server;
let serverLog = '';
let context;
let page;
let url;

function environment() {
  const env = { ...process.env, PATH: cleanPath, HOME: path.join(work, 'home'), XDG_CONFIG_HOME: path.join(work, 'home/.config') };
  delete env.MARGINALIA_BIN;
  delete env.MARGINALIA_ANNOTATOR;
  // No extension gallery: nothing is fetched from outside.
  env.EXTENSIONS_GALLERY = JSON.stringify({ serviceUrl: '', itemUrl: '', resourceUrlTemplate: '' });
  return env;
}

function codeServerArgs() {
  return ['--user-data-dir', userData, '--extensions-dir', extensions, '--disable-telemetry', '--disable-update-check'];
}

async function screenshot(name) {
  fs.mkdirSync(artifacts, { recursive: true });
  await page.screenshot({ path: path.join(artifacts, `${name}.png`) });
}

/** The screen rectangle of the first occurrence of `needle` in the editor's text. */
async function textRect(needle, occurrence = 0) {
  return page.evaluate(
    ({ needle, occurrence }) => {
      const editor = document.querySelector('.editor-instance .monaco-editor .view-lines');
      if (!editor) return null;
      // Monaco splits a line into spans by token: join each line's text nodes.
      for (const line of editor.querySelectorAll('.view-line')) {
        const nodes = [];
        const lineWalker = document.createTreeWalker(line, NodeFilter.SHOW_TEXT);
        let text = '';
        for (let node = lineWalker.nextNode(); node; node = lineWalker.nextNode()) {
          nodes.push({ node, start: text.length });
          text += node.data;
        }
        // Monaco renders spaces as no-break spaces.
        const plain = text.replace(/\u00a0/g, ' ');
        let at = plain.indexOf(needle);
        for (let seen = 0; at !== -1 && seen < occurrence; seen += 1) {
          at = plain.indexOf(needle, at + 1);
        }
        if (at === -1) continue;
        const first = nodes.findLast((n) => n.start <= at);
        const range = document.createRange();
        range.setStart(first.node, at - first.start);
        const endAt = at + Math.min(needle.length, first.node.data.length - (at - first.start));
        range.setEnd(first.node, endAt - first.start);
        const rect = range.getBoundingClientRect();
        return { x: rect.x, y: rect.y, width: rect.width, height: rect.height };
      }
      return null;
    },
    { needle, occurrence },
  );
}

/** Clicks in the middle of `needle` in the active editor (puts the cursor there). */
async function clickText(needle) {
  const rect = await waitFor(`"${needle}" in the editor`, () => textRect(needle));
  await page.mouse.click(rect.x + rect.width / 2, rect.y + rect.height / 2);
  return rect;
}

/**
 * Selects the first match of `needle` in the active editor with the Find widget
 * (Ctrl+F, type, Escape), as a person does for text outside the view.
 */
async function selectWithFind(needle) {
  await page.keyboard.press('Escape');
  await page.keyboard.press('Control+Home');
  await page.keyboard.press('Control+F');
  const input = page.locator('.editor-instance .find-widget.visible textarea').first();
  await input.waitFor({ state: 'visible', timeout: 10_000 });
  await input.fill(needle);
  await page.locator('.editor-instance .find-widget.visible .matchesCount', { hasText: /^1 of / }).waitFor({ timeout: 10_000 });
  await page.keyboard.press('Escape');
  await page.locator('.editor-instance .find-widget.visible').waitFor({ state: 'hidden', timeout: 10_000 });
}

/** Opens a file of the workspace through Quick Open (Ctrl+P), as a person would. */
async function quickOpen(name) {
  await waitFor(`Quick Open to open ${name}`, async () => {
    await page.keyboard.press('Escape');
    await page.keyboard.press('Control+P');
    const input = page.locator('.quick-input-widget input');
    await input.waitFor({ state: 'visible', timeout: 5_000 });
    await input.fill(name);
    // Enter opens the focused row: wait until the filtered list has put the
    // file there (before that, the focused row may be a recently opened file).
    await page.locator('.quick-input-list .monaco-list-row.focused', { hasText: name }).waitFor({ state: 'visible', timeout: 10_000 });
    await page.keyboard.press('Enter');
    await page.locator(`.tab.active[aria-label*="${name}"]`).waitFor({ state: 'visible', timeout: 10_000 });
    return true;
  });
}

/** The processes running the .vsix's own server binary. */
function bundledServerProcesses() {
  const bundled = [];
  for (const pid of fs.readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    let cmdline;
    try {
      cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    } catch {
      continue;
    }
    if (cmdline[0]?.startsWith(extensions) && cmdline[0].endsWith('/server/marginalia') && cmdline[1] === 'lsp') {
      bundled.push(cmdline[0]);
    }
  }
  return bundled;
}

before(async () => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'marginalia-code-server-'));
  corpus = path.join(work, 'corpus');
  fs.cpSync(path.join(repo, 'corpus'), corpus, { recursive: true });
  // The control for friction 5: a file of another language, where VS Code's
  // own default boxes the ambiguous ’ (so the check on the article can fail).
  fs.writeFileSync(path.join(corpus, 'control.js'), "const quote = 'it’s the article’s voice';\n");
  userData = path.join(work, 'user-data');
  extensions = path.join(work, 'extensions');
  fs.mkdirSync(path.join(userData, 'User'), { recursive: true });
  fs.mkdirSync(path.join(work, 'home'), { recursive: true });
  fs.writeFileSync(
    path.join(userData, 'User/settings.json'),
    JSON.stringify(
      {
        'marginalia.annotator': ANNOTATOR,
        'workbench.startupEditor': 'none',
        'workbench.tips.enabled': false,
        'workbench.enableExperiments': false,
        'security.workspace.trust.enabled': false,
        'telemetry.telemetryLevel': 'off',
        'update.mode': 'none',
        'extensions.autoCheckUpdates': false,
        'extensions.autoUpdate': false,
        'extensions.ignoreRecommendations': true,
        'json.schemaDownload.enable': false,
        'npm.fetchOnlinePackageInfo': false,
        'git.enabled': false,
        'editor.hover.delay': 300,
        'window.commandCenter': false,
        'chat.disableAIFeatures': true,
        'workbench.secondarySideBar.defaultVisibility': 'hidden',
      },
      null,
      2,
    ),
  );

  // Install the .vsix, and nothing else.
  const install = spawnSync(process.execPath, [codeServer, ...codeServerArgs(), '--install-extension', vsix], { env: environment(), encoding: 'utf8', timeout: 180_000 });
  assert.equal(install.status, 0, `code-server --install-extension failed:\n${install.stdout}\n${install.stderr}`);
  assert.match(install.stdout, /successfully installed/, install.stdout);
  const installed = fs.readdirSync(extensions).filter((d) => d.startsWith('marginalia.marginalia-'));
  assert.equal(installed.length, 1, `installed extensions: ${fs.readdirSync(extensions)}`);
  assert.ok(fs.existsSync(path.join(extensions, installed[0], 'server/marginalia')), 'the installed extension has server/marginalia');

  const port = await freePort();
  url = `http://127.0.0.1:${port}/`;
  server = spawn(
    process.execPath,
    [codeServer, ...codeServerArgs(), '--bind-addr', `127.0.0.1:${port}`, '--auth', 'none', '--disable-workspace-trust', '--disable-getting-started-override', '--ignore-last-opened', corpus],
    { env: environment(), detached: true, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  server.stdout.on('data', (d) => (serverLog += d));
  server.stderr.on('data', (d) => (serverLog += d));
  await waitFor('code-server to answer on 127.0.0.1', async () => {
    if (server.exitCode !== null) throw new Error(`code-server exited (${server.exitCode}):\n${serverLog}`);
    const response = await fetch(`${url}healthz`);
    return response.ok;
  });

  // A fresh profile each run; flags keep Chromium off the network and the GPU.
  const profile = path.join(work, 'chromium-profile');
  context = await chromium.launchPersistentContext(profile, {
    executablePath: browserPath,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    viewport: { width: 1600, height: 1000 },
    timeout: STEP_TIMEOUT,
  });
  page = context.pages()[0] ?? (await context.newPage());
  page.setDefaultTimeout(STEP_TIMEOUT);
  // The workbench loads many scripts; a first load on a busy machine may time out: retry.
  await waitFor('the VS Code workbench', async () => {
    await page.goto(url, { waitUntil: 'domcontentloaded', timeout: 60_000 });
    await page.locator('.monaco-workbench .part.editor').waitFor({ state: 'visible', timeout: 60_000 });
    return true;
  }, 240_000);
});

after(async () => {
  try {
    await context?.close();
  } finally {
    if (server && server.exitCode === null) {
      try {
        process.kill(-server.pid, 'SIGTERM');
      } catch {
        // already gone
      }
    }
    if (work && !process.env.MARGINALIA_E2E_KEEP) {
      fs.rmSync(work, { recursive: true, force: true });
    }
  }
});

/** A subtest that leaves a screenshot of the page when it fails. */
function step(t, name, run) {
  return t.test(name, async () => {
    try {
      await run();
    } catch (error) {
      await screenshot(`failed-${name.replace(/[^a-z0-9]+/gi, '-')}`).catch(() => {});
      throw error;
    }
  });
}

test('the .vsix alone gives diagnostics, hover, definition and a code action in real VS Code', async (t) => {
  await step(t, 'diagnostics in the Problems panel', async () => {
    await quickOpen(SEED);
    await page.locator('.editor-instance .view-lines', { hasText: 'Speaking during' }).first().waitFor({ state: 'visible' });
    await page.keyboard.press('Control+Shift+M');
    const problem = page.locator('.markers-panel .monaco-list-row', { hasText: 'unclosed-quote' }).first();
    await problem.waitFor({ state: 'visible' });
    const text = await problem.innerText();
    assert.match(text, /quotation mark/i, `Problems row: ${text}`);
    await screenshot('problems');
    // The language server running is the .vsix's own, found with nothing on PATH.
    const running = await waitFor('the bundled server process', () => bundledServerProcesses().length > 0 && bundledServerProcesses());
    assert.ok(running[0].includes('marginalia.marginalia-'), `server: ${running}`);
  });

  await step(t, 'no "ambiguous unicode" box on ’ in an article (issue 17, friction 5)', async () => {
    // In a JavaScript file VS Code boxes each ’: the control that the check sees the boxes.
    await quickOpen('control.js');
    await waitFor('boxes on ’ in control.js', async () => (await page.locator('.editor-instance .unicode-highlight').count()) > 0);
    await quickOpen(SEED);
    await page.locator('.editor-instance .view-lines', { hasText: 'Speaking during' }).first().waitFor({ state: 'visible' });
    assert.ok(fs.readFileSync(path.join(corpus, 'articles', SEED), 'utf8').includes('’'), 'the seed has a ’');
    // Bring the ’ into view (decorations are drawn for visible lines only).
    await selectWithFind('CNN’s Alex');
    await page.locator('.editor-instance .view-lines', { hasText: 'CNN’s Alex' }).first().waitFor({ state: 'visible' });
    // Give the decorations the time they took in control.js, then count.
    await page.waitForTimeout(1_000);
    assert.equal(await page.locator('.editor-instance .unicode-highlight').count(), 0, 'the extension turns the box off in articles');
    await screenshot('no-unicode-box');
    // Back to the top, where the next steps look for their words.
    await page.keyboard.press('Control+Home');
  });

  await step(t, 'hover card on Lavrov with the dated role', async () => {
    const hover = page.locator('.monaco-hover', { hasText: 'Minister of Foreign Affairs of Russia' }).first();
    await waitFor('the hover card on Lavrov', async () => {
      const rect = await textRect('Lavrov');
      if (!rect) return false;
      await page.mouse.move(rect.x - 40, rect.y - 60);
      await page.mouse.move(rect.x + rect.width / 2, rect.y + rect.height / 2, { steps: 4 });
      await hover.waitFor({ state: 'visible', timeout: 8_000 });
      return true;
    });
    const card = await hover.innerText();
    assert.match(card, /Sergey Lavrov/, card);
    assert.match(card, /on 2021-12-02/, `the role is dated on the article's date:\n${card}`);
    await screenshot('hover');
    await page.mouse.move(5, 500);
    await page.keyboard.press('Escape');
  });

  await step(t, 'go to definition into agreements.json', async () => {
    const idLine = fs.readFileSync(path.join(corpus, 'kb/agreements.json'), 'utf8').split('\n').findIndex((l) => l.includes('"id": "minsk-agreements"')) + 1;
    assert.ok(idLine > 0);
    await waitFor('a jump to agreements.json', async () => {
      await clickText('Minsk peace agreements');
      await page.keyboard.press('F12');
      await page.locator('.tab.active[aria-label*="agreements.json"]').waitFor({ state: 'visible', timeout: 10_000 });
      return true;
    });
    const selection = page.locator('[id="status.editor.selection"]');
    const position = await waitFor(`the cursor on line ${idLine}`, async () => {
      const label = await selection.innerText();
      return label.includes(`Ln ${idLine},`) && label;
    });
    assert.match(position, new RegExp(`Ln ${idLine},`));
    await screenshot('definition');
  });

  await step(t, 'a code action from the Ctrl+. menu writes the sidecar', async () => {
    const sidecar = path.join(corpus, 'articles', SEED.replace(/\.txt$/, '.ann.jsonl'));
    const before = fs.existsSync(sidecar) ? fs.readFileSync(sidecar, 'utf8') : '';
    assert.ok(!before.includes('"exact":"Latvia"'), 'Latvia is not annotated yet');
    await quickOpen(SEED);
    const item = page.locator('.action-widget .monaco-list-row', { hasText: 'Label as PLACE' }).first();
    await waitFor('"Label as PLACE" in the code-action menu', async () => {
      await selectWithFind('Latvia');
      await page.keyboard.press('Control+.');
      await item.waitFor({ state: 'visible', timeout: 10_000 });
      return true;
    });
    await screenshot('code-action-menu');
    await item.click();
    const line = await waitFor('the annotation in the sidecar on disk', async () => {
      if (!fs.existsSync(sidecar)) return false;
      return fs.readFileSync(sidecar, 'utf8').split('\n').find((l) => l.includes('"exact":"Latvia"'));
    });
    const annotation = JSON.parse(line);
    assert.equal(annotation.label, 'PLACE');
    assert.equal(annotation.kind, 'entity');
    assert.equal(annotation.status, 'accepted');
    assert.equal(annotation.annotator, ANNOTATOR, 'the annotator comes from the marginalia.annotator setting');
    await screenshot('code-action');
  });
});

// `marginalia status --format html` (issue 17, progress at a glance) as a lead
// sees it: the page is loaded in headless Chromium (Debian's, driven by
// playwright-core) and the figures are read back from what was rendered: the
// text drawn at each bar, and each bar's drawn width, which must be in
// proportion to its figure. Checked against figures worked out by hand for a
// copy of the bundled corpus that two annotators have labelled, and against the
// same command's JSON.
//
// Run by editors/vscode/e2e/run.sh. Needs MARGINALIA_BIN (default
// target/debug/marginalia) and CHROMIUM (default /usr/bin/chromium). The
// screenshot goes to $MARGINALIA_E2E_ARTIFACTS/status.png.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';

import { chromium } from 'playwright-core';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const marginalia = process.env.MARGINALIA_BIN || path.join(repo, 'target/debug/marginalia');
const browserPath = process.env.CHROMIUM || '/usr/bin/chromium';
const artifacts = process.env.MARGINALIA_E2E_ARTIFACTS || path.join(repo, 'target/code-server-e2e/artifacts');

const SEED = 'articles/000_650f7ada08eebc05.txt';
const OTHER = 'articles/003_06a289d246a3710c.txt';

/** An accepted entity record on the `nth` occurrence of `exact`, offsets in code points. */
function entity(text, id, annotator, label, exact, nth = 0) {
  let at = -1;
  for (let i = 0; i <= nth; i += 1) {
    at = text.indexOf(exact, at + 1);
    assert.ok(at >= 0, `"${exact}" occurs ${nth + 1} times`);
  }
  const start = [...text.slice(0, at)].length;
  return JSON.stringify({
    id,
    kind: 'entity',
    label,
    start,
    end: start + [...exact].length,
    exact,
    annotator,
    created: '2026-12-03T00:00:00Z',
    status: 'accepted',
  });
}

function run(args, cwd) {
  const result = spawnSync(marginalia, args, { cwd, encoding: 'utf8' });
  assert.equal(result.status, 0, `marginalia ${args.join(' ')}:\n${result.stdout}\n${result.stderr}`);
  return result.stdout;
}

test('the status page shows progress per annotator, agreement per label and conflicts per document', async () => {
  assert.ok(fs.existsSync(marginalia), `no server binary at ${marginalia} (set MARGINALIA_BIN)`);
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'marginalia-status-'));
  const corpus = path.join(work, 'corpus');
  fs.cpSync(path.join(repo, 'corpus'), corpus, { recursive: true });
  for (const file of fs.readdirSync(path.join(corpus, 'articles')).filter((f) => f.endsWith('.ann.jsonl'))) {
    fs.rmSync(path.join(corpus, 'articles', file));
  }
  const documents = fs.readdirSync(path.join(corpus, 'articles')).filter((f) => f.endsWith('.txt')).length;
  // The seed article: alice and bob agree on Lavrov (PERSON); they disagree on
  // Blinken (PERSON / ORG) and on Kuleba's span ("Kuleba" / "Dymtro Kuleba").
  // Article 003: alice alone labels Stockholm (no one to disagree with).
  const seed = fs.readFileSync(path.join(corpus, SEED), 'utf8');
  const other = fs.readFileSync(path.join(corpus, OTHER), 'utf8');
  fs.writeFileSync(
    path.join(corpus, SEED.replace(/\.txt$/, '.ann.jsonl')),
    [
      entity(seed, 'a1', 'alice', 'PERSON', 'Lavrov'),
      entity(seed, 'b1', 'bob', 'PERSON', 'Lavrov'),
      entity(seed, 'a2', 'alice', 'PERSON', 'Kuleba'),
      entity(seed, 'b2', 'bob', 'PERSON', 'Dymtro Kuleba'),
      entity(seed, 'a3', 'alice', 'PERSON', 'Blinken'),
      entity(seed, 'b3', 'bob', 'ORG', 'Blinken'),
    ].join('\n') + '\n',
  );
  fs.writeFileSync(path.join(corpus, OTHER.replace(/\.txt$/, '.ann.jsonl')), entity(other, 'a4', 'alice', 'PLACE', 'Stockholm') + '\n');

  const out = path.join(work, 'status.html');
  run(['status', '.', '--format', 'html', '--out', out], corpus);
  const report = JSON.parse(run(['status', '.', '--format', 'json'], corpus));

  const context = await chromium.launchPersistentContext(path.join(work, 'chromium-profile'), {
    executablePath: browserPath,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    viewport: { width: 1000, height: 900 },
  });
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    // Anything the page tried to load from elsewhere would show here.
    const requests = [];
    page.on('request', (r) => requests.push(r.url()));
    await page.goto(pathToFileURL(out).href, { waitUntil: 'load' });
    fs.mkdirSync(artifacts, { recursive: true });
    await page.screenshot({ path: path.join(artifacts, 'status.png'), fullPage: true });
    assert.deepEqual(requests, [pathToFileURL(out).href], 'the page loads nothing but itself');

    // What was drawn: each bar's two texts as rendered, and its rectangle's width on screen.
    const charts = await page.evaluate(() => {
      const read = (id) =>
        [...document.querySelectorAll(`#${id} g.bar`)].map((bar) => {
          const [label, shown] = [...bar.querySelectorAll('text')].map((t) => t.textContent);
          const rect = bar.querySelector('rect').getBoundingClientRect();
          const visible = getComputedStyle(bar).visibility === 'visible' && rect.height > 0;
          return { label, shown, width: rect.width, visible };
        });
      return {
        caption: Object.fromEntries(['progress', 'agreement', 'conflicts-per-document'].map((id) => [id, document.querySelector(`#${id} figcaption`).innerText])),
        summary: document.querySelector('.summary').innerText,
        progress: read('progress'),
        agreement: read('agreement'),
        conflicts: read('conflicts-per-document'),
      };
    });

    // The summary line as rendered.
    assert.match(charts.summary, new RegExp(`${documents} documents`));
    assert.match(charts.summary, new RegExp(`${documents - 2} not yet touched`));
    assert.match(charts.summary, /2 conflicts open/);
    assert.ok(!/NaN|undefined/.test(await page.locator('body').innerText()), 'no broken figure on the page');

    // Progress per annotator: alice touched two documents, bob one; bars in proportion.
    assert.equal(charts.caption.progress, 'Documents touched per annotator');
    const progress = Object.fromEntries(charts.progress.map((b) => [b.label, b]));
    assert.deepEqual(Object.keys(progress).sort(), ['alice', 'bob']);
    assert.equal(progress.alice.shown, `2/${documents}`);
    assert.equal(progress.bob.shown, `1/${documents}`);
    assert.ok(progress.bob.visible && progress.bob.width > 10, `bob's bar is drawn: ${JSON.stringify(progress.bob)}`);
    assert.ok(Math.abs(progress.alice.width - 2 * progress.bob.width) <= 1, `alice's bar is twice bob's: ${JSON.stringify(progress)}`);

    // Agreement per label (exact-span F1): PERSON, alice {Lavrov, Kuleba, Blinken}
    // against bob {Lavrov, Dymtro Kuleba}: one match, 2·1/(3+2) = 0.4; ORG, bob's
    // Blinken alone: 0.
    const agreement = Object.fromEntries(charts.agreement.map((b) => [b.label, b]));
    assert.equal(charts.caption.agreement, 'Agreement per label (exact-span F1)');
    assert.equal(agreement['alice / bob · PERSON']?.shown, '0.400', JSON.stringify(charts.agreement));
    assert.equal(agreement['alice / bob · ORG']?.shown, '0.000', JSON.stringify(charts.agreement));
    assert.equal(agreement['alice / bob · ORG'].width, 0, 'a zero is drawn as no bar');
    // The chart's full width (360 px) is F1 = 1: 0.4 of it for PERSON.
    assert.ok(Math.abs(agreement['alice / bob · PERSON'].width - 0.4 * 360) <= 1, `PERSON bar: ${agreement['alice / bob · PERSON'].width}`);

    // Conflicts per document: two on the seed article (Blinken's label, Kuleba's
    // span), its bar the longest; none on 003, which has no bar.
    const conflicts = Object.fromEntries(charts.conflicts.map((b) => [b.label, b]));
    assert.equal(charts.caption['conflicts-per-document'], 'Conflicts open per document');
    assert.deepEqual(Object.keys(conflicts), [SEED], JSON.stringify(charts.conflicts));
    assert.equal(conflicts[SEED].shown, '2');
    assert.ok(Math.abs(conflicts[SEED].width - 360) <= 1, `the largest count fills the chart: ${conflicts[SEED].width}`);

    // The page says what the JSON says.
    assert.equal(report.conflicts_open, 2);
    for (const a of report.annotators) {
      assert.equal(progress[a.name].shown, `${a.documents}/${report.documents}`);
    }
    for (const d of report.per_document.filter((d) => d.conflicts > 0)) {
      assert.equal(conflicts[d.document].shown, String(d.conflicts));
    }
    for (const pair of report.agreement) {
      for (const [label, f1] of Object.entries(pair.by_label)) {
        assert.equal(agreement[`${pair.a} / ${pair.b} · ${label}`].shown, f1 === null ? '—' : f1.toFixed(3), label);
      }
    }
  } finally {
    await context.close();
    fs.rmSync(work, { recursive: true, force: true });
  }
});

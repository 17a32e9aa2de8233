import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import type { MachineStateDto, RegionDto } from '../../protocol/dto';
import { computeChangeSet } from '../../protocol/stateDiff';
import { CONTENT_SECURITY_POLICY, type StepReportInput, buildStepReport } from './buildReport';
import type { ChosenStep } from './chooseSteps';
import { collectRun, stepSectionIds } from './reportTestSupport';

const EXAMPLES = path.join(__dirname, '..', '..', '..', '..', 'examples');

/** The report input of a scenario run forward once, as the CLI does, with a collector watching. */
function collect(text: string, asked: readonly number[] | null): StepReportInput {
  const { collector, interpreter } = collectRun(text, asked);
  const chosen = collector.finish();
  assert.ok(!('error' in chosen), 'every asked step was reached');
  return {
    scenarioName: 'test.mmu',
    sourceText: text,
    steps: chosen.steps,
    choice: chosen.choice,
    stepCount: interpreter.stepCount,
    finished: true,
    failures: collector.failures,
    failureCount: collector.failureCount,
    madeBy: 'the tests',
  };
}

const example = (name: string): string => fs.readFileSync(path.join(EXAMPLES, name), 'utf8');

/** The markup of one step's section (up to the next step's). */
function sectionOf(html: string, step: number): string {
  const start = html.indexOf(`id="step-${step}"`);
  assert.ok(start >= 0, `step ${step} has a section`);
  const next = html.indexOf('<section class="step', start + 1);
  return html.slice(start, next < 0 ? html.length : next);
}

/** Attributes that neither load nor run anything (href is checked to point within the document). */
const SAFE_ATTRIBUTES = new Set([
  'lang',
  'charset',
  'http-equiv',
  'content',
  'name',
  'class',
  'id',
  'title',
  'role',
  'aria-label',
  'aria-hidden',
  'scope',
  'href',
  'viewBox',
  'preserveAspectRatio',
  'x',
  'y',
  'width',
  'height',
  'd',
]);

/** Checks a whole document for anything that runs or reaches outside it. */
function assertSelfContained(html: string): void {
  assert.doesNotMatch(html, /<script/i, 'no script');
  assert.doesNotMatch(
    html,
    /<(?:link|img|iframe|object|embed|image|use|foreignObject|audio|video|source)\b/i,
  );
  assert.doesNotMatch(html, /\b(?:https?|ftp|file|wss?):\/\//i, 'no URL of any scheme');
  assert.doesNotMatch(html, /javascript:/i);
  assert.doesNotMatch(html, /url\(|@import|@font-face/i, 'the style sheet fetches nothing');
  // Text is escaped, so every '<' opens a real tag and no quoted value holds a '"' or a '>': the
  // attributes of the document are the names left in its tags once the quoted values are gone.
  const names = new Set<string>();
  for (const tag of html.matchAll(/<[a-zA-Z][^>]*>/g))
    for (const name of tag[0].replace(/"[^"]*"/g, '').matchAll(/\s([^\s=>]+)/g)) names.add(name[1]!);
  const unexpected = [...names].filter((name) => !SAFE_ATTRIBUTES.has(name) && !name.startsWith('data-'));
  assert.deepStrictEqual(unexpected, [], 'only attributes that neither fetch nor run anything');
  for (const href of html.matchAll(/<a [^>]*href="([^"]*)"/g)) assert.match(href[1]!, /^#[\w-]+$/);
  assert.match(
    html,
    new RegExp(
      `<meta http-equiv="Content-Security-Policy" content="${CONTENT_SECURITY_POLICY.replace(/'/g, '&#39;')}">`,
    ),
  );
}

describe('the step report', () => {
  describe('of the fork example, steps 0, 3, 5 and 17', () => {
    let input: StepReportInput;
    let html: string;

    before(() => {
      input = collect(example('02-fork-copy-on-write.mmu'), [0, 3, 5, 17]);
      html = buildStepReport(input);
    });

    it('is one HTML document with a section per chosen step, in order', () => {
      assert.match(html, /^<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">/);
      assert.match(html, /<\/body><\/html>\n$/);
      assert.deepStrictEqual(stepSectionIds(html), ['step-0', 'step-3', 'step-5', 'step-17']);
      assert.match(html, /<title>MMU Lens step report: test\.mmu<\/title>/);
      assert.match(html, /38 steps run, none failed · 4 steps shown · made by the tests/);
      assert.match(html, /Shown: the steps asked for\./);
    });

    it('says each step’s line, statement and outcome, and what it did', () => {
      const five = sectionOf(html, 5);
      assert.match(five, /<h2>Step 5 · line 18 <span class="badge ok">ok<\/span>/);
      assert.match(five, /<pre class="statement">fork parent as child<\/pre>/);
      assert.match(five, /<span class="kind">PageAllocated<\/span>/);
      assert.match(five, /more PageAllocated events/, 'a fork’s hundred allocations are counted, not listed');
      const three = sectionOf(html, 3);
      assert.match(three, /<span class="badge ok">zero_fault<\/span>/);
      assert.match(
        three,
        /<span class="kind">PageFault<\/span> <span class="text">pid 1 write 0x10000 \(protection, user\) → zero handler/,
      );
    });

    it('marks the chosen steps’ lines in the scenario and links them to their sections', () => {
      for (const [line, step] of [
        [15, 3],
        [18, 5],
        [40, 17],
      ] as const) {
        assert.match(
          html,
          new RegExp(
            `<div class="line marked" id="line-${line}">.*?<a href="#step-${step}">step ${step}</a>`,
          ),
        );
      }
      assert.match(html, /<div class="line" id="line-16"><span class="ln" aria-hidden="true">16<\/span>/);
      assert.strictEqual((html.match(/class="line marked"/g) ?? []).length, 3);
    });

    it('draws every address space, page strips with the panels’ state letters, walks, zones and the map', () => {
      const five = sectionOf(html, 5);
      assert.match(five, /<b>parent \(pid 1\)<\/b>/);
      assert.match(five, /<b>child \(pid 2\)<\/b>/);
      // After the fork the parent's written page is copy-on-write and the other still lazy.
      assert.match(five, /aria-label="Pages of data: C×1 L×1"/);
      assert.match(five, /<rect x="0" y="0" width="1" height="10" class="p-C"><\/rect>/);
      assert.match(five, /<h3>Page-table walks<\/h3>/);
      for (const level of ['PML4', 'PDPT', 'PD', 'PT'])
        assert.match(five, new RegExp(`<span class="level-name">${level}</span>`));
      assert.match(
        five,
        /<span class="chip bit bit-off" title="RW \(bit 1\) clear/,
        'a COW page is read-only',
      );
      assert.match(five, /<h3>Physical memory and zones<\/h3>/);
      assert.match(five, /<b>zone 0:0<\/b>/);
      assert.match(five, /<h3>DMA \/ MMIO map<\/h3>/);
    });

    it('lists between consecutive steps exactly what computeChangeSet finds', () => {
      const states = input.steps.map((step) => step.state);
      for (let i = 1; i < states.length; i++) {
        const changes = computeChangeSet(states[i - 1]!, states[i]!);
        const section = sectionOf(html, states[i]!.step.index);
        assert.match(
          section,
          new RegExp(`Changes from step ${changes.baseStep} to step ${changes.currentStep}`),
        );
        const entities = [...section.matchAll(/data-entity="([^"]+)"/g)].map((m) => m[1]!);
        assert.deepStrictEqual(entities, [
          ...changes.added,
          ...changes.modified.filter((id) => !id.startsWith('counter:')),
          ...changes.removed.map((r) => r.id),
        ]);
        const runs = [...section.matchAll(/data-page-run="([^"]+)"/g)].map((m) => m[1]!);
        assert.deepStrictEqual(
          runs,
          changes.pageRuns.map((r) => `${r.spaceId}/${r.regionId}/${r.first}+${r.count}`),
        );
        const counters = [...section.matchAll(/<tr data-counter="(\w+)">/g)].map((m) => `counter:${m[1]!}`);
        assert.deepStrictEqual(
          counters.sort(),
          changes.modified.filter((id) => id.startsWith('counter:')).sort(),
        );
      }
      // The first step shown has nothing before it to compare with.
      assert.doesNotMatch(sectionOf(html, 0), /Changes from step/);
    });

    it('shows counters before and after', () => {
      const before = input.steps[1]!.state.counters;
      const after = input.steps[2]!.state.counters;
      assert.notStrictEqual(before.used, after.used, 'the fork allocates');
      assert.match(
        sectionOf(html, 5),
        new RegExp(
          `<tr data-counter="used"><th scope="row">Used</th><td class="num">${before.used}</td><td>→</td><td class="num">${after.used}</td><td class="num muted">\\+${after.used - before.used}</td></tr>`,
        ),
      );
    });

    it('holds no script, no external reference and a content security policy', () => {
      assertSelfContained(html);
    });
  });

  describe('chosen by default', () => {
    it('shows step 0, every failed step and the last step, and says why', () => {
      const text = [
        'machine ram=64M',
        'process p',
        'expect 1 == 2',
        'let a = mmap(p, 0, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS)',
        'write p a, 1 => ok',
        'expect 2 == 2',
        '',
      ].join('\n');
      const input = collect(text, null);
      const html = buildStepReport(input);
      assert.deepStrictEqual(stepSectionIds(html), ['step-0', 'step-2', 'step-4', 'step-5']);
      assert.match(
        html,
        /Shown: step 0, every failed step and the last step \(the default choice, at most 12 steps\)\./,
      );
      assert.match(html, /<a href="#step-0">Step 0<\/a> — the machine after boot/);
      assert.match(html, /<a href="#step-2">Step 2<\/a> \(line 3\) — a failed step ✕/);
      assert.match(html, /<a href="#step-5">Step 5<\/a> \(line 6\) — the last step/);
      assert.match(html, /<h3>Failed steps<\/h3><ul class="failures"><li>step 2, line 3: /);
      assert.match(sectionOf(html, 4), /<span class="badge failed">failed: zero_fault<\/span>/);
      assert.match(html, /<b>test\.mmu<\/b> · 5 steps run, 2 failed · 4 steps shown/);
      assert.match(html, /<li>step 4, line 5: Expected ok, but the step ended in zero_fault\.<\/li>/);
    });

    it('shows at most twelve steps: the first ten failures, step 0 and the last', () => {
      const text = `machine ram=64M\nrepeat i in 0..15 {\n  expect i < 0\n}\nlet done = 1\n`;
      const input = collect(text, null);
      assert.strictEqual(input.failureCount, 15);
      const html = buildStepReport(input);
      const ids = stepSectionIds(html);
      assert.strictEqual(ids.length, 12);
      assert.strictEqual(ids[0], 'step-0');
      assert.strictEqual(ids.at(-1), `step-${input.stepCount}`);
      assert.match(html, /The run has 15 failed steps; the first 10 are shown\./);
    });
  });

  describe('of a scenario whose text carries markup', () => {
    const text = [
      '// <b>bold</b> & </style><style>body{display:none}</style>',
      'machine ram=64M',
      'process p',
      'let a = mmap(p, 0, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, name="<img src=x onerror=alert(1)>")',
      'let b = mmap(p, 0, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, name="\\" onmouseover=\\"alert(2)")',
      'print "</script><script>alert(3)</script>"',
      'write p a, 1',
      'let k = MM.allocate_dma_buffer_page("<svg onload=alert(4)>", ReadWrite)',
      '',
    ].join('\n');
    let html: string;

    before(() => {
      html = buildStepReport(collect(text, [0, 3, 4, 5, 6]));
    });

    it('escapes every text from the scenario, in content and in attributes', () => {
      assertSelfContained(html);
      assert.doesNotMatch(html, /<img|<svg onload|<b>bold|<\/style><style>body/);
      assert.match(html, /&lt;img src=x onerror=alert\(1\)&gt;/);
      assert.match(html, /<b class="name">&lt;img src=x onerror=alert\(1\)&gt;<\/b>/);
      assert.match(html, /aria-label="Pages of &lt;img src=x onerror=alert\(1\)&gt;: /);
      assert.match(html, /&quot; onmouseover=&quot;alert\(2\)/);
      assert.match(html, /&lt;\/script&gt;&lt;script&gt;alert\(3\)&lt;\/script&gt;/);
      assert.match(html, /<b>&lt;svg onload=alert\(4\)&gt;<\/b>/, 'a DMA buffer’s name');
      assert.match(html, /&lt;b&gt;bold&lt;\/b&gt; &amp; &lt;\/style&gt;/);
      assert.strictEqual((html.match(/<style>/g) ?? []).length, 1, 'one style sheet, the report’s');
      assert.strictEqual((html.match(/<\/style>/g) ?? []).length, 1);
    });
  });

  describe('of a large state', () => {
    /** A state with regions of `pages` pages whose states alternate, and 2^20 frames alternating owners. */
    function bigState(base: MachineStateDto, pages: number, phase: number, index: number): MachineStateDto {
      const letters = Array.from({ length: pages }, (_, i) => ((i + phase) % 2 === 0 ? 'R' : 'N')).join('');
      const region: RegionDto = {
        ...base.addressSpaces[1]!.regions[0]!,
        end: `0x${(0x10000 + pages * 4096).toString(16)}`,
        size: pages * 4096,
        pages: letters,
      };
      const frames = new Uint8Array(1 << 20).map((_, i) => ((i + phase) % 3 === 0 ? 1 : 0));
      // Three such regions, and enough one-page ones to pass the number of regions drawn per space.
      const tiny = { ...region, end: '0x11000', size: 4096, pages: 'R' };
      const regions = Array.from({ length: 70 }, (_, i) => ({ ...(i < 3 ? region : tiny), id: String(i) }));
      const space = { ...base.addressSpaces[1]!, regions };
      return {
        ...base,
        step: { ...base.step, index },
        addressSpaces: [base.addressSpaces[0]!, space],
        frameMap: { frameCount: frames.length, kinds: Buffer.from(frames).toString('base64') },
      };
    }

    it('summarises 100,000-page strips and a million frames into runs and stays small', () => {
      const small = collect(example('02-fork-copy-on-write.mmu'), [3]).steps[0]!;
      const steps: ChosenStep[] = [0, 1].map((phase) => ({
        state: bigState(small.state, 100_000, phase, 10 + phase),
        walks: small.walks,
        walksLeftOut: 0,
        reasons: ['asked'],
      }));
      const html = buildStepReport({
        scenarioName: 'big.mmu',
        sourceText: 'machine ram=4G\n',
        steps,
        choice: { kind: 'asked' },
        stepCount: 11,
        finished: true,
        failures: [],
        failureCount: 0,
        madeBy: 'the tests',
      });
      // 2 states × 3 regions × 100,000 pages, every page changed: a rectangle and a mark per page
      // would be some 50 MB.
      assert.ok(html.length < 1_000_000, `the report is ${html.length} characters`);
      assert.match(html, /drawn 250 pages per cell/);
      assert.match(html, /drawn \d+ frames per cell/);
      assert.match(html, /6 more regions not drawn\./);
      const runs = computeChangeSet(steps[0]!.state, steps[1]!.state).pageRuns.length;
      assert.match(html, new RegExp(`Pages whose state changed: ${runs.toLocaleString('en-US')} runs`));
      assert.match(html, new RegExp(`… ${(runs - 24).toLocaleString('en-US')} more runs`));
      assertSelfContained(html);
    });
  });
});

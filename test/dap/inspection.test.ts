import * as assert from 'assert';
import type { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import {
  children,
  numberOf,
  rejects,
  useClientPerTest,
  evaluate,
  fixture,
  launchAndStop,
  scope,
  stopAfter,
  topFrame,
} from './support';

const FORK = fixture('fork.mmu');

describe('DAP: inspection', function () {
  this.timeout(60000);
  let dc: DebugClient;

  useClientPerTest(
    () => dc,
    (client) => (dc = client),
  );

  it('announces what it supports', async () => {
    const response = await dc.initializeRequest();
    const caps = response.body!;
    for (const flag of [
      'supportsStepBack', 'supportsGotoTargetsRequest', 'supportsRestartRequest', 'supportsConditionalBreakpoints',
      'supportsHitConditionalBreakpoints', 'supportsLogPoints', 'supportsDataBreakpoints', 'supportsDataBreakpointBytes',
      'supportsReadMemoryRequest', 'supportsWriteMemoryRequest', 'supportsCompletionsRequest', 'supportsExceptionInfoRequest',
      'supportsEvaluateForHovers', 'supportsValueFormattingOptions', 'supportsClipboardContext',
    ] as const) assert.strictEqual(caps[flag], true, flag); // prettier-ignore
    assert.deepStrictEqual(
      caps.exceptionBreakpointFilters!.map((f) => [f.filter, f.default]),
      [['failed_step', true], ['crash', false], ['oom', false], ['bus_error', false], ['panic', false], ['zero_fault', false], ['cow_fault', false], ['inode_fault', false]],
    ); // prettier-ignore
  });

  it('shows bindings, processes → regions → pages with decoded PTEs, paged', async () => {
    await launchAndStop(dc, FORK, { breakpoints: [{ line: 13 }] });
    const bindings = await children(dc, await scope(dc, 'Bindings'));
    const buf = bindings.find((v) => v.name === 'buf')!;
    assert.match(buf.value, /^0x[0-9a-f]+ \(\d+\)$/);
    const hexed = await children(dc, await scope(dc, 'Bindings'), { format: { hex: true } });
    assert.match(hexed.find((v) => v.name === 'buf')!.value, /^0x[0-9a-f]+$/);
    const processes = await children(dc, await scope(dc, 'Processes'));
    assert.deepStrictEqual(
      processes.map((p) => p.name),
      ['parent', 'child'],
    );
    const parent = processes[0]!;
    assert.match(parent.value, /pid \d+, alive/);
    const fields = await children(dc, parent.variablesReference);
    assert.strictEqual(fields.find((f) => f.name === 'amount_shared')!.value, '4096');
    const regions = fields.find((f) => f.name === 'regions')!;
    assert.strictEqual(regions.indexedVariables, 1);
    const data = (await children(dc, regions.variablesReference))[0]!;
    assert.match(
      data.value,
      /Region "data" 0x[0-9a-f]+\.\.0x[0-9a-f]+ rw- \[mmap\] Normal, AnonymousVMObject #\d+/,
    );
    assert.ok(data.memoryReference !== undefined && /^v:\d+:0x/.test(data.memoryReference));
    const regionFields = await children(dc, data.variablesReference);
    assert.deepStrictEqual(
      regionFields.map((f) => f.name),
      [
        'name',
        'base',
        'end',
        'size',
        'access',
        'flags',
        'memory_type',
        'address space',
        'vmobject',
        'amount_resident',
        'cow_pages',
        'pages',
      ],
    );
    const pages = regionFields.find((f) => f.name === 'pages')!;
    assert.strictEqual(pages.indexedVariables, 4);
    const slice = await children(dc, pages.variablesReference, { filter: 'indexed', start: 1, count: 2 });
    assert.deepStrictEqual(
      slice.map((p) => p.name.split(' ')[0]),
      ['[1]', '[2]'],
    );
    const [first] = await children(dc, pages.variablesReference, { filter: 'indexed', start: 0, count: 1 });
    // The parent wrote the page before fork: its PTE keeps Accessed and Dirty over fork's remap.
    assert.match(first!.value, /^resident, COW, shared, ref 2; PTE \[P US A D NX\] → 0x[0-9a-f]+$/);
    const page = await children(dc, first!.variablesReference);
    const get = (name: string): string => page.find((f) => f.name === name)!.value;
    assert.strictEqual(get('ref_count'), '2');
    assert.strictEqual(get('cow'), 'true');
    assert.strictEqual(get('pte.writable'), 'false');
    assert.strictEqual(get('pte.present'), 'true');
    assert.strictEqual(get('pte.nx'), 'true');
    assert.strictEqual(get('pte.bits'), 'P US A D NX');
    assert.strictEqual(get('pte.accessed'), 'true');
    assert.strictEqual(get('pte.dirty'), 'true');
    assert.strictEqual(get('frame'), get('pte.paddr'));
    const second = (
      await children(dc, pages.variablesReference, { filter: 'indexed', start: 1, count: 1 })
    )[0]!;
    assert.match(second.value, /^(lazy committed|shared zero|not present)/);
  });

  it('pages a region of 20,000 pages, and refuses to send them all in one answer', async () => {
    await launchAndStop(dc, fixture('large-region.mmu'), { breakpoints: [{ line: 4 }] });
    const p = (await children(dc, await scope(dc, 'Processes')))[0]!;
    const regions = (await children(dc, p.variablesReference)).find((f) => f.name === 'regions')!;
    const big = (await children(dc, regions.variablesReference)).find((r) => /big/.test(r.value))!;
    const pages = (await children(dc, big.variablesReference)).find((f) => f.name === 'pages')!;
    assert.strictEqual(pages.indexedVariables, 20_000);
    const all = await rejects(dc.variablesRequest({ variablesReference: pages.variablesReference }));
    assert.match(all, /holds 20,000 items; ask for at most 10,000 at a time with 'start' and 'count'/);
    const tail = await children(dc, pages.variablesReference, {
      filter: 'indexed',
      start: 19_990,
      count: 100,
    });
    assert.deepStrictEqual([tail.length, tail[0]!.name.split(' ')[0]], [10, '[19990]']);
  });

  it('shows physical memory with zones and buddy free lists, the kernel with quickmap slots, and this step', async () => {
    await launchAndStop(dc, FORK, { breakpoints: [{ line: 12 }] });
    const physical = await children(dc, await scope(dc, 'Physical memory'));
    const names = physical.map((v) => v.name);
    for (const name of [
      'physical_pages',
      'physical_pages_used',
      'physical_pages_committed',
      'physical_pages_uncommitted',
      'free_pages',
      'zones',
    ])
      assert.ok(names.includes(name), name);
    const used = Number(physical.find((v) => v.name === 'physical_pages_used')!.value);
    assert.strictEqual(used, numberOf(await evaluate(dc, 'MM.physical_pages_used')));
    const zones = physical.find((v) => v.name === 'zones')!;
    assert.ok((zones.indexedVariables ?? 0) > 0);
    const zone0 = (await children(dc, zones.variablesReference, { start: 0, count: 1 }))[0]!;
    const zoneFields = await children(dc, zone0.variablesReference);
    assert.strictEqual(zoneFields.filter((f) => f.name.startsWith('free_blocks(')).length, 13);
    const kernel = await children(dc, await scope(dc, 'Kernel'));
    const quickmap = await children(dc, kernel.find((v) => v.name === 'quickmap')!.variablesReference);
    assert.deepStrictEqual(
      quickmap.map((q) => q.name.split(' ').slice(0, 3).join(' ')),
      ['cpu 0 pt', 'cpu 0 pd', 'cpu 0 page'],
    );
    assert.ok((kernel.find((v) => v.name === 'regions')!.indexedVariables ?? 0) > 0);
    const step = await children(dc, await scope(dc, 'This step'));
    assert.strictEqual(step.find((v) => v.name === 'outcome')!.value, 'zero_fault');
    assert.strictEqual(step.find((v) => v.name === 'line')!.value, '11');
    const events = step.find((v) => v.name === 'events')!;
    const list = await children(dc, events.variablesReference);
    assert.ok(
      list.some(
        (e) =>
          /page_fault/.test(e.name) &&
          /pid 1 write 0x[0-9a-f]+ \((not present|protection), user\) → zero handler, Continue/.test(e.value),
      ),
      list.map((e) => e.value).join('\n'),
    );
    assert.ok(list.some((e) => /pte_written/.test(e.name)));
  });

  it('evaluates scenario expressions and resolves addresses all the way down on hover', async () => {
    await launchAndStop(dc, FORK, { breakpoints: [{ line: 13 }] });
    const frame = await topFrame(dc);
    const hover = await dc.evaluateRequest({ expression: 'buf', frameId: frame.id, context: 'hover' });
    const text = hover.body.result;
    assert.match(
      text,
      /address +0x[0-9a-f]+ in parent \(pid \d+\)\nregion +"data" 0x[0-9a-f]+\.\.0x[0-9a-f]+ rw- \[mmap\] Normal\nVMObject +AnonymousVMObject #\d+, slot 0, copy-on-write\nPTE +0x[0-9a-f]+ \[P US A D NX\]\nframe +0x[0-9a-f]+\nref_count +2\nzone +#\d+ \(base 0x[0-9a-f]+, [\d,]+ pages\)/,
    );
    assert.match(text, /in child \(pid \d+\)/, 'the child maps the same address');
    const region = await dc.evaluateRequest({
      expression: 'region_at(parent, buf)',
      frameId: frame.id,
      context: 'watch',
    });
    assert.ok(region.body.memoryReference !== undefined && /^v:\d+:0x/.test(region.body.memoryReference));
    // In the console the region's walk reads line by line: the region itself, then one fact a line.
    const inConsole = await dc.evaluateRequest({
      expression: 'region_at(parent, buf)',
      frameId: frame.id,
      context: 'repl',
    });
    const consoleLines = inConsole.body.result.split('\n');
    assert.deepStrictEqual(
      consoleLines.slice(1).map((line) => line.split(/\s+/)[0]),
      ['address', 'region', 'VMObject', 'PTE', 'frame', 'ref_count', 'zone'],
      inConsole.body.result,
    );
    assert.ok(region.body.variablesReference > 0);
    const page = await dc.evaluateRequest({
      expression: 'page(translate(parent, buf))',
      frameId: frame.id,
      context: 'repl',
    });
    assert.match(page.body.memoryReference ?? '', /^p:0x/);
    assert.match(page.body.result, /ref_count +2/);
    const hexed = await dc.evaluateRequest({
      expression: 'PAGE_SIZE * 2',
      frameId: frame.id,
      context: 'watch',
      format: { hex: true },
    });
    assert.strictEqual(hexed.body.result, '0x2000');
    const clip = await dc.evaluateRequest({
      expression: 'PAGE_SIZE',
      frameId: frame.id,
      context: 'clipboard',
    });
    assert.strictEqual(clip.body.result, '0x1000 (4096)');
    const error = await dc
      .evaluateRequest({ expression: 'nosuchname + 1', frameId: frame.id, context: 'repl' })
      .then(
        () => 'succeeded',
        (e: Error) => e.message,
      );
    assert.match(error, /nosuchname/);
  });

  it('resolves kernel addresses: MMIO regions and their uncached PTEs', async () => {
    await launchAndStop(dc, fixture('kernel.mmu'), { breakpoints: [{ line: 10 }] });
    const frame = await topFrame(dc);
    const hover = await dc.evaluateRequest({
      expression: 'mmio_region.vaddr',
      frameId: frame.id,
      context: 'hover',
    });
    assert.match(
      hover.body.result,
      /address +0x[0-9a-f]+ in kernel\nregion +"DeviceMMIO" .* IO\nVMObject +MMIOVMObject #\d+.*\nPTE +0x[0-9a-f]+ \[P RW PCD G( NX)?\]\nframe +0xfeb00000/,
    );
    assert.match(hover.body.memoryReference ?? '', /^v:kernel:0x/);
    const read = await dc.customRequest('readMemory', {
      memoryReference: hover.body.memoryReference!,
      count: 4,
    });
    assert.strictEqual(
      (read.body as DebugProtocol.ReadMemoryResponse['body'])!.unreadableBytes,
      4,
      'MMIO is never read by inspection',
    );
    const region = await dc.evaluateRequest({ expression: 'region', frameId: frame.id, context: 'watch' });
    const bytes = await dc.customRequest('readMemory', {
      memoryReference: region.body.memoryReference!,
      count: 1,
    });
    assert.deepStrictEqual(
      [...Buffer.from((bytes.body as DebugProtocol.ReadMemoryResponse['body'])!.data!, 'base64')],
      [0x42],
    );
  });

  it('reads virtual and physical memory, reports unreadable bytes, and follows steps', async () => {
    await launchAndStop(dc, FORK, { breakpoints: [{ line: 12 }] });
    const frame = await topFrame(dc);
    const region = await dc.evaluateRequest({
      expression: 'region_at(parent, buf)',
      frameId: frame.id,
      context: 'watch',
    });
    const reference = region.body.memoryReference!;
    const read = await dc.customRequest('readMemory', { memoryReference: reference, offset: 0, count: 4 });
    const body = read.body as DebugProtocol.ReadMemoryResponse['body'];
    assert.deepStrictEqual([...Buffer.from(body!.data!, 'base64')], [0x41, 0, 0, 0]);
    // The region is 4 pages; what follows it is unmapped.
    const tail = await dc.customRequest('readMemory', {
      memoryReference: reference,
      offset: 4 * 4096 - 2,
      count: 6,
    });
    const tailBody = tail.body as DebugProtocol.ReadMemoryResponse['body'];
    assert.strictEqual(Buffer.from(tailBody!.data!, 'base64').length, 2);
    assert.strictEqual(tailBody!.unreadableBytes, 4);
    const paddr = await evaluate(dc, 'translate(parent, buf)', 'clipboard');
    const physical = await dc.customRequest('readMemory', {
      memoryReference: `p:0x${BigInt(paddr.split(' ')[0]!).toString(16)}`,
      count: 1,
    });
    assert.deepStrictEqual(
      [...Buffer.from((physical.body as DebugProtocol.ReadMemoryResponse['body'])!.data!, 'base64')],
      [0x41],
    );
    const memoryEvent = dc.waitForEvent('memory') as Promise<DebugProtocol.MemoryEvent>;
    await stopAfter(dc, () => dc.nextRequest({ threadId: 1 }));
    assert.strictEqual((await memoryEvent).body.memoryReference, reference);
  });

  it('writes into simulated memory; the write survives stepping back and forth through it', async () => {
    await launchAndStop(dc, FORK, { breakpoints: [{ line: 12 }] });
    const frame = await topFrame(dc);
    const region = await dc.evaluateRequest({
      expression: 'region_at(parent, buf)',
      frameId: frame.id,
      context: 'watch',
    });
    const invalidated = dc.waitForEvent('invalidated');
    const written = await dc.customRequest('writeMemory', {
      memoryReference: region.body.memoryReference!,
      offset: 2,
      data: Buffer.from([0x7a, 0x7b]).toString('base64'),
    });
    assert.strictEqual((written.body as DebugProtocol.WriteMemoryResponse['body'])!.bytesWritten, 2);
    await invalidated;
    assert.strictEqual(await evaluate(dc, 'peek(parent, buf + 2, u16)'), '0x7b7a (31610)');
    await stopAfter(dc, () => dc.nextRequest({ threadId: 1 }));
    assert.strictEqual(
      await evaluate(dc, 'peek(child, buf + 3)'),
      '0x7b (123)',
      'the child inherited the poked bytes',
    );
    await stopAfter(dc, () => dc.stepBackRequest({ threadId: 1 }));
    await stopAfter(dc, () => dc.stepBackRequest({ threadId: 1 }));
    assert.strictEqual(await evaluate(dc, 'peek(parent, buf + 2)'), '0', 'before the write');
    await stopAfter(dc, () => dc.nextRequest({ threadId: 1 }));
    await stopAfter(dc, () => dc.nextRequest({ threadId: 1 }));
    assert.strictEqual(
      await evaluate(dc, 'peek(child, buf + 2)'),
      '0x7a (122)',
      'replayed through the write',
    );
    // Unmapped memory cannot be written.
    const refused = await dc
      .customRequest('writeMemory', { memoryReference: 'v:kernel:0x1000', data: 'AA==' })
      .then(
        () => 'succeeded',
        (e: Error) => e.message,
      );
    assert.match(refused, /not mapped/);
  });

  it('completes names in scope, API names and members after a dot', async () => {
    await launchAndStop(dc, FORK, { breakpoints: [{ line: 7 }] });
    const frame = await topFrame(dc);
    const labels = async (text: string): Promise<string[]> =>
      (await dc.completionsRequest({ text, column: text.length + 1, frameId: frame.id })).body.targets.map(
        (t) => t.label,
      );
    const names = await labels('bu');
    assert.ok(names.includes('buf'));
    assert.ok((await labels('tr')).includes('translate'));
    assert.ok((await labels('PAGE')).includes('PAGE_SIZE'));
    assert.ok((await labels('i')).includes('i'), 'a local of the proc frame');
    const members = await labels('region_at(p, buf).');
    for (const m of ['base', 'size', 'vmobject', 'physical_page']) assert.ok(members.includes(m), m);
    assert.ok((await labels('MM.ph')).includes('physical_pages_used'));
  });

  it('prints scenario output and step outcomes to the debug console', async () => {
    const lines: DebugProtocol.OutputEvent['body'][] = [];
    dc.on('output', (e: DebugProtocol.OutputEvent) => lines.push(e.body));
    await launchAndStop(dc, FORK, { breakpoints: [{ line: 11 }] });
    await stopAfter(dc, () => dc.nextRequest({ threadId: 1 }));
    await stopAfter(dc, () => dc.continueRequest({ threadId: 1 }));
    const text = lines.map((l) => l.output).join('');
    assert.match(text, /line 11: zero_fault/);
    assert.match(text, /touched 1\n/);
    assert.match(text, /touched 2\n/);
    assert.match(text, /End of scenario: 15 steps, 0 failed/);
    const printed = lines.find((l) => l.output === 'touched 1\n')!;
    assert.strictEqual(printed.category, 'stdout');
    assert.strictEqual(printed.line, 8);
  });
});

// Property tests: thousands of random operation sequences, with every invariant checked after
// every operation, and checkpoint/restore checked to reproduce the state exactly.

import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { checkAfter, Driver, EXPECTED_PANICS, opArbitrary, startSequence } from './randomOperations';

describe('random operation sequences (properties)', function () {
  this.timeout(120000);

  it('keep every invariant after every operation', () => {
    fc.assert(
      fc.property(fc.nat(1000), fc.array(opArbitrary, { minLength: 1, maxLength: 40 }), (seed, ops) => {
        const driver = startSequence(seed, { cpus: 2, events: seed % 2 === 0 });
        for (const op of ops) {
          driver.run(op);
          if (!checkAfter(driver.m, op)) break;
        }
      }),
      { numRuns: Number(process.env['ENGINE_PROPERTY_RUNS'] ?? 2000) },
    );
  });

  it('restore a checkpoint to exactly the saved state', () => {
    fc.assert(
      fc.property(
        fc.nat(1000),
        fc.array(opArbitrary, { minLength: 1, maxLength: 30 }),
        fc.array(opArbitrary, { minLength: 1, maxLength: 30 }),
        (seed, before, after) => {
          const driver = startSequence(seed);
          const m = driver.m;
          for (const op of before) driver.run(op);
          const saved = m.dumpState();
          const checkpoint = m.checkpoint(driver.processes.slice());
          for (const op of after) driver.run(op);
          const processes = m.restore(checkpoint);
          assert.deepEqual(m.dumpState(), saved);
          if (m.halted === null) assert.deepEqual(m.verifyInvariants(), []);
          else assert.match(m.halted, EXPECTED_PANICS);
          // The restored machine runs on as the original would have.
          const replayDriver = startSequence(seed);
          for (const op of before) replayDriver.run(op);
          const restoredDriver = Object.assign(Object.create(Driver.prototype) as Driver, { m, processes });
          for (const op of after) {
            restoredDriver.run(op);
            replayDriver.run(op);
          }
          assert.deepEqual(m.dumpState(), replayDriver.m.dumpState());
        },
      ),
      { numRuns: 60 },
    );
  });
});

// Marks the document with the step a view shows, once that step is on screen: `<body data-step="N">`
// is set in the first animation frame after the view finished drawing step N (including what it
// fetches for it, such as the rows of the PTE table in view). Without a session the mark is removed.
// Whoever needs to know that every view caught up with a step waits for it: the panel benchmark and
// the UI tests.
import type { Store } from './store';

export interface SettlingView {
  /** False while part of the shown state is still on its way from the extension. */
  settled?(): boolean;
}

export function markShownStep(store: Store, view: SettlingView): void {
  let frame = 0;
  const check = (): void => {
    frame = 0;
    if (view.settled?.() === false) {
      schedule();
      return;
    }
    const step = store.state?.step.index;
    if (step === undefined) delete document.body.dataset['step'];
    else document.body.dataset['step'] = String(step);
  };
  const schedule = (): void => {
    if (frame === 0) frame = requestAnimationFrame(check);
  };
  // Listeners run in the order they subscribed: the view has drawn the new state by now.
  store.subscribe((event) => {
    if (event.kind !== 'reveal') schedule();
  });
  schedule();
}

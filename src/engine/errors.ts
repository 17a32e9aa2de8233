// How the engine reports failure: an errno the kernel would return, or a kernel panic.

export type Errno =
  | 'ENOMEM'
  | 'EINVAL'
  | 'EFAULT'
  | 'EPERM'
  | 'EACCES'
  | 'ENODEV'
  | 'EBADF'
  | 'ENOENT'
  | 'EOVERFLOW'
  | 'ENAMETOOLONG'
  | 'ENOTSUP'
  | 'ESRCH';

/** ErrorOr<T> as the kernel writes it: either a value or an errno. */
export type ErrorOr<T> = { ok: true; value: T } | { ok: false; errno: Errno };

export function ok<T>(value: T): ErrorOr<T> {
  return { ok: true, value };
}

export function err<T = never>(errno: Errno): ErrorOr<T> {
  return { ok: false, errno };
}

/**
 * Thrown where the real kernel would PANIC (a failed VERIFY, a kernel-mode crash, TODO()).
 * The facade catches it, halts the machine and reports the outcome `panic`.
 */
export class KernelPanic extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'KernelPanic';
  }
}

export function verify(condition: boolean, what: string): asserts condition {
  if (!condition) throw new KernelPanic(`VERIFY(${what}) failed`);
}

/**
 * Thrown where the kernel could go on but the simulation does not represent the state it would
 * reach (a VMObject of more page slots than MMU Lens holds). Nothing has changed when it is thrown;
 * the interpreter reports the step as failed, with the message.
 */
export class SimulationLimit extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SimulationLimit';
  }
}

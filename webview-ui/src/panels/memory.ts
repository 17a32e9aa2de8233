// Memory: hex and ASCII of a window of simulated memory (a virtual address space or physical
// memory) at the current step. Bytes a load could not read show as `??`, bytes that changed since
// the compared step are highlighted. The window follows every step: each new state asks for it again.
// A byte cursor (click, arrow keys, Home/End) says what the bytes from it read as, little-endian, as
// a kernel developer reads a pointer or a PTE out of a dump; moving it past the window moves the
// window.
import type { AddressSpaceDto, RegionDto } from '../../../src/protocol/dto';
import {
  decodeMemoryWindow,
  maskBit,
  MAX_MEMORY_WINDOW,
  type MemoryWindowDto,
  PHYSICAL_SPACE_ID,
} from '../../../src/protocol/memoryWindow';
import { parseAddress, toHex } from '../../../src/protocol/pagingEntry';
import { regionLabel } from '../../../src/protocol/regionLabel';
import { emptyState, header } from '../components/header';
import { clear, h, icon } from '../dom';
import type { Store } from '../store';
import { spaceLabel } from './regionTree';

/** Bytes shown at once: PageUp and PageDown move by this much. */
export const MEMORY_WINDOW_BYTES = 512;
/** At or below this width a row holds 8 bytes instead of 16. */
const NARROW_PX = 480;
const ADDRESS_LIMIT = 1n << 64n;

const isString = (value: unknown): value is string => typeof value === 'string';
/** A saved address: decimal digits (restored state is checked like any other input). */
const isSavedAddress = (value: unknown): value is string =>
  typeof value === 'string' && /^[0-9]{1,20}$/.test(value);

/** A byte as the ASCII column shows it: printable ASCII as itself, anything else as a dot. */
function asciiOf(byte: number): string {
  return byte >= 0x20 && byte < 0x7f ? String.fromCharCode(byte) : '.';
}

function hexByte(byte: number): string {
  return byte.toString(16).padStart(2, '0');
}

/** An address padded to 16 digits for the offset column, so that the columns line up. */
function offsetText(address: bigint): string {
  return address.toString(16).padStart(16, '0');
}

export class MemoryView {
  private readonly root = h('div', { class: 'memory-view' });
  private readonly headerSlot = h('div');
  private readonly controls = h('div', { class: 'controls memory-controls' });
  private readonly status = h('div', { class: 'memory-status', role: 'status' });
  private readonly grid = h('div', {
    class: 'memory-grid mono',
    tabindex: 0,
    role: 'region',
    'aria-label':
      'Memory bytes. Arrow keys move the byte cursor, Home and End to its row’s ends, Page Up and Page Down by a window.',
  });
  /** What the bytes at the cursor read as; announced as the cursor moves. */
  private readonly cursorLine = h('div', { class: 'memory-cursor mono', role: 'status' });
  private space: string;
  /** The first byte of the window (a row boundary). */
  private address: bigint | null;
  /** The byte cursor: the byte asked for (go to address, Show in Memory), or clicked, or moved to. */
  private cursor: bigint | null;
  private window: MemoryWindowDto | null = null;
  private error: string | null = null;
  private generation = 0;
  private pending = false;
  private readonly narrowQuery = window.matchMedia(`(max-width: ${NARROW_PX}px)`);

  constructor(private readonly store: Store) {
    this.space = store.getUi('space', '', isString);
    const saved = store.getUi('address', '', isSavedAddress);
    this.address = saved === '' || BigInt(saved) >= ADDRESS_LIMIT ? null : BigInt(saved);
    this.cursor = null;
    store.subscribe((event) => {
      if (event.kind === 'reveal') return;
      if (event.kind === 'showMemory') {
        this.space = event.target.space;
        this.store.setUi('space', this.space);
        this.goTo(BigInt(event.target.address));
        return;
      }
      if (event.kind === 'changes') return;
      // A new step, or a new compare step (which changes the changed mask): ask again.
      this.render();
    });
    this.narrowQuery.addEventListener('change', () => this.renderGrid());
    this.grid.addEventListener('keydown', (event) => this.onKey(event));
    this.grid.addEventListener('click', (event) => this.onClick(event));
  }

  mount(parent: HTMLElement): void {
    parent.appendChild(this.root);
    this.root.append(this.headerSlot, this.controls, this.status, this.grid, this.cursorLine);
    this.render();
  }

  /** The window on screen is the shown step's. */
  settled(): boolean {
    return !this.pending;
  }

  private get bytesPerRow(): number {
    return this.narrowQuery.matches ? 8 : 16;
  }

  private spaces(): AddressSpaceDto[] {
    return this.store.state?.addressSpaces ?? [];
  }

  render(): void {
    clear(this.headerSlot);
    this.headerSlot.appendChild(header(this.store, 'Memory', []));
    const state = this.store.state;
    this.root.classList.toggle('no-session', state === null);
    if (state === null) {
      clear(this.controls);
      this.controls.appendChild(emptyState(this.store.noSessionReason));
      this.window = null;
      clear(this.status);
      clear(this.grid);
      clear(this.cursorLine);
      return;
    }
    if (this.space === '') {
      const first =
        state.addressSpaces.find((s) => s.kind === 'process' && s.alive) ?? state.addressSpaces[0];
      this.space = first?.id ?? PHYSICAL_SPACE_ID;
    }
    if (this.address === null) this.address = this.defaultAddress();
    this.renderControls();
    this.fetch();
  }

  /** Where a space starts to be interesting: its first region, or address 0. */
  private defaultAddress(): bigint {
    const region = this.spaces().find((s) => s.id === this.space)?.regions[0];
    return region === undefined ? 0n : BigInt(region.base);
  }

  private renderControls(): void {
    clear(this.controls);
    const select = h('select', { class: 'memory-space', 'aria-label': 'Address space' });
    const listed = this.spaces().filter((s) => s.alive);
    for (const space of listed)
      select.appendChild(
        h('option', { value: space.id, selected: space.id === this.space }, spaceLabel(space)),
      );
    if (this.space !== PHYSICAL_SPACE_ID && !listed.some((s) => s.id === this.space))
      select.appendChild(h('option', { value: this.space, selected: true }, `${this.space} (exited)`));
    select.appendChild(
      h(
        'option',
        { value: PHYSICAL_SPACE_ID, selected: this.space === PHYSICAL_SPACE_ID },
        'physical memory',
      ),
    );
    select.addEventListener('change', () => {
      this.space = select.value;
      this.store.setUi('space', this.space);
      this.cursor = null;
      this.setAddress(this.defaultAddress());
      this.renderControls();
      this.fetch();
    });
    const input = h('input', {
      type: 'text',
      class: 'mono memory-address',
      placeholder: '0x10000 or 65536',
      value: this.cursor === null ? '' : toHex(this.cursor),
      'aria-label': 'Go to address (hex with 0x, or decimal)',
      spellcheck: 'false',
    });
    const error = h('span', { class: 'input-error memory-error', role: 'alert' });
    const go = (): void => {
      const address = parseAddress(input.value);
      if (address === null) {
        error.textContent = `"${input.value.trim()}" is not an address: write hex with 0x (0x1f000) or decimal below 2^64.`;
        input.setAttribute('aria-invalid', 'true');
        return;
      }
      error.textContent = '';
      input.removeAttribute('aria-invalid');
      this.goTo(BigInt(address));
    };
    input.addEventListener('keydown', (event) => {
      if (event.key === 'Enter') go();
    });
    const goButton = h('button', { class: 'button memory-go' }, icon('arrow-right'), 'Go');
    goButton.addEventListener('click', go);
    const previous = h(
      'button',
      { class: 'button secondary memory-previous', title: 'Previous window (Page Up)' },
      icon('chevron-up'),
      'Previous',
    );
    previous.addEventListener('click', () => this.page(-1));
    const next = h(
      'button',
      { class: 'button secondary memory-next', title: 'Next window (Page Down)' },
      icon('chevron-down'),
      'Next',
    );
    next.addEventListener('click', () => this.page(1));
    const binaryView = this.binaryViewButton();
    this.controls.append(
      h('label', {}, 'Space ', select),
      h('label', {}, 'Address ', input),
      goButton,
      previous,
      next,
      ...(binaryView === null ? [] : [binaryView]),
      error,
    );
  }

  /** "Open in Binary View" for the region the window starts in, for those who have a hex editor. */
  private binaryViewButton(): HTMLElement | null {
    const region = this.regionAtWindow();
    if (region === null) return null;
    const button = h(
      'button',
      {
        class: 'button secondary memory-binary',
        title: `Open ${regionLabel(region)} in VS Code's memory view`,
      },
      icon('file-binary'),
      'Open in Binary View',
    );
    const space = this.space;
    button.addEventListener('click', () =>
      this.store.post({ type: 'openInBinaryView', spaceId: space, regionId: region.id }),
    );
    return button;
  }

  private regionAtWindow(): RegionDto | null {
    if (this.space === PHYSICAL_SPACE_ID || this.address === null) return null;
    const address = this.address;
    const space = this.spaces().find((s) => s.id === this.space);
    return (
      space?.regions.find(
        (region) =>
          region.memoryReference !== null && BigInt(region.base) <= address && address < BigInt(region.end),
      ) ?? null
    );
  }

  /** Shows the window holding `address`, starting at its row, with the cursor on the byte. */
  goTo(address: bigint): void {
    this.cursor = address;
    this.setAddress(address - (address % 16n));
    if (this.store.state !== null) {
      this.renderControls();
      this.fetch();
    }
  }

  private page(direction: -1 | 1): void {
    if (this.address === null) return;
    const step = BigInt(MEMORY_WINDOW_BYTES);
    const moved = this.address + BigInt(direction) * step;
    const last = ADDRESS_LIMIT - step;
    this.setAddress(moved < 0n ? 0n : moved > last ? last : moved);
    this.renderControls();
    this.fetch();
  }

  private setAddress(address: bigint): void {
    this.address = address;
    this.store.setUi('address', address.toString());
  }

  private onKey(event: KeyboardEvent): void {
    const perRow = BigInt(this.bytesPerRow);
    const column = this.cursor === null ? 0n : this.cursor % perRow;
    const moves: Record<string, bigint> = {
      ArrowLeft: -1n,
      ArrowRight: 1n,
      ArrowUp: -perRow,
      ArrowDown: perRow,
      Home: -column,
      End: perRow - 1n - column,
    };
    if (event.key === 'PageDown') this.page(1);
    else if (event.key === 'PageUp') this.page(-1);
    else if (event.key in moves) this.moveCursor(moves[event.key]!);
    else return;
    event.preventDefault();
  }

  /** A click on a byte (hex or ASCII) puts the cursor on it. */
  private onClick(event: MouseEvent): void {
    const cell = (event.target as HTMLElement).closest<HTMLElement>('.byte[data-offset]');
    if (cell === null || this.window === null) return;
    this.cursor = BigInt(this.window.address) + BigInt(cell.dataset['offset']!);
    this.renderGrid();
  }

  /**
   * Moves the cursor by `delta` bytes; a move before address 0 or past the last address does nothing.
   * The window follows a cursor that leaves it, a row at a time, as an editor scrolls.
   */
  private moveCursor(delta: bigint): void {
    if (this.address === null) return;
    const from = this.cursor ?? this.address;
    const to = from + delta;
    if (to < 0n || to >= ADDRESS_LIMIT) return;
    this.cursor = to;
    const perRow = BigInt(this.bytesPerRow);
    const length = BigInt(this.window?.length ?? MEMORY_WINDOW_BYTES);
    const row = to - (to % perRow);
    if (to >= this.address && to < this.address + length) {
      this.renderGrid();
      return;
    }
    this.setAddress(to < this.address ? row : row + perRow - length);
    this.renderControls();
    this.fetch();
  }

  /** Asks for the window of the current step; a later request supersedes an earlier one. */
  private fetch(): void {
    if (this.address === null) return;
    const length = Number(
      ADDRESS_LIMIT - this.address < BigInt(MEMORY_WINDOW_BYTES)
        ? ADDRESS_LIMIT - this.address
        : BigInt(Math.min(MEMORY_WINDOW_BYTES, MAX_MEMORY_WINDOW)),
    );
    const generation = ++this.generation;
    this.pending = true;
    this.store.requestMemory(this.space, toHex(this.address), length).then(
      (window) => {
        if (generation !== this.generation) return;
        this.pending = false;
        this.window = window;
        this.error = null;
        this.renderGrid();
      },
      (error: unknown) => {
        if (generation !== this.generation) return;
        this.pending = false;
        this.window = null;
        this.error = error instanceof Error ? error.message : String(error);
        this.renderGrid();
      },
    );
  }

  /**
   * The cursor's byte and what the bytes from it read as, little-endian (x86_64's order): 2, 4 and 8
   * bytes while they are all readable and in the window, so a pointer or a PTE reads at a glance.
   */
  private renderCursorLine(bytes: Uint8Array, readable: Uint8Array): void {
    clear(this.cursorLine);
    const window = this.window;
    if (window === null) return;
    if (this.cursor === null) {
      this.cursorLine.append(
        h('span', { class: 'muted' }, 'Click a byte, or use the arrow keys here, to read the bytes from it.'),
      );
      return;
    }
    const offset = this.cursor - BigInt(window.address);
    if (offset < 0n || offset >= BigInt(window.length)) return;
    const at = Number(offset);
    const parts = [`Cursor ${toHex(this.cursor)}`];
    if (!maskBit(readable, at)) parts.push('unreadable (a load would fault)');
    else {
      const byte = bytes[at]!;
      parts.push(`0x${hexByte(byte)} (${byte}) '${asciiOf(byte)}'`);
      for (const size of [2, 4, 8]) {
        if (at + size > window.length) break;
        let value = 0n;
        let whole = true;
        for (let i = size - 1; i >= 0; i--) {
          whole &&= maskBit(readable, at + i);
          value = (value << 8n) | BigInt(bytes[at + i]!);
        }
        if (!whole) break;
        parts.push(`u${size * 8} ${toHex(value)}`);
      }
    }
    this.cursorLine.textContent = parts.join(' · ');
  }

  private renderGrid(): void {
    clear(this.grid);
    clear(this.status);
    if (this.error !== null) {
      this.status.appendChild(h('p', { class: 'input-error' }, this.error));
      return;
    }
    const window = this.window;
    if (window === null) return;
    const { bytes, readable, changed } = decodeMemoryWindow(window);
    const start = BigInt(window.address);
    const perRow = this.bytesPerRow;
    this.grid.classList.toggle('narrow', perRow === 8);
    let unreadable = 0;
    let changedCount = 0;
    const rows: HTMLElement[] = [];
    for (let row = 0; row < window.length; row += perRow) {
      const hexCells = h('span', { class: 'memory-hex' });
      const ascii = h('span', { class: 'memory-ascii' });
      for (let i = row; i < Math.min(row + perRow, window.length); i++) {
        const address = start + BigInt(i);
        const isReadable = maskBit(readable, i);
        const isChanged = maskBit(changed, i);
        if (!isReadable) unreadable++;
        if (isChanged) changedCount++;
        const classes = ['byte', isReadable ? '' : 'unreadable', isChanged ? 'changed' : '']
          .concat(address === this.cursor ? ['cursor'] : [])
          .filter((c) => c !== '')
          .join(' ');
        const value = bytes[i]!;
        hexCells.appendChild(
          h(
            'span',
            {
              class: classes,
              'data-offset': i,
              title: isReadable
                ? `${toHex(address)}: 0x${hexByte(value)} (${value})${isChanged ? ', changed' : ''}`
                : `${toHex(address)}: unreadable (a load would fault)`,
            },
            isReadable ? hexByte(value) : '??',
          ),
        );
        ascii.appendChild(h('span', { class: classes, 'data-offset': i }, isReadable ? asciiOf(value) : '.'));
      }
      rows.push(
        h(
          'div',
          { class: 'memory-row', 'data-address': toHex(start + BigInt(row)) },
          h('span', { class: 'memory-offset' }, offsetText(start + BigInt(row))),
          hexCells,
          ascii,
        ),
      );
    }
    this.grid.append(...rows);
    this.renderCursorLine(bytes, readable);
    const end = start + BigInt(window.length) - 1n;
    const space = window.space === PHYSICAL_SPACE_ID ? 'physical memory' : window.space;
    this.status.append(
      h('span', { class: 'mono' }, `${toHex(start)} – ${toHex(end)}`),
      ` in ${space} at step ${window.step}`,
      unreadable === 0 ? '' : ` · ${unreadable} unreadable`,
      window.comparedStep === null
        ? ''
        : h(
            'span',
            { class: changedCount === 0 ? 'muted' : 'memory-changed-count' },
            ` · ${changedCount} changed since step ${window.comparedStep}`,
          ),
    );
  }
}

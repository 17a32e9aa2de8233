// How the Page tables panel is laid out, read in the page: the component tests and the tests in a real
// VS Code both check that no bit chip is cut and that the columns of the PTE table line up.

/** What the layout probe finds: sideways overflow of the page, cut bit chips, misaligned columns. */
export interface TableLayout {
  pageOverflow: number;
  cutChips: string[];
  overflowingCells: string[];
  misalignedRows: string[];
  tableScrollsSideways: boolean;
}

// Evaluated in the page (the root tsconfig has no DOM library). A chip is cut when it reaches outside
// the cell that clips it; a row is misaligned when its cells do not start where the header's do.
export const TABLE_LAYOUT_PROBE = `(() => {
  const inside = (a, b) =>
    a.left >= b.left - 0.5 && a.right <= b.right + 0.5 && a.top >= b.top - 0.5 && a.bottom <= b.bottom + 0.5;
  const cutChips = [...document.querySelectorAll('.chip')]
    .filter((chip) => !inside(chip.getBoundingClientRect(), chip.closest('.vcell, td').getBoundingClientRect()))
    .map((chip) => chip.textContent + ' of ' + (chip.closest('[data-level], [data-index]')?.id || chip.closest('tr')?.dataset.level));
  const overflowingCells = [...document.querySelectorAll('.vcell:not(.col-region)')]
    .filter((cell) => cell.scrollWidth > cell.clientWidth)
    .map((cell) => cell.className + ' of ' + cell.parentElement.id);
  const lefts = (row) => [...row.children].map((cell) => Math.round(cell.getBoundingClientRect().left)).join(',');
  const head = lefts(document.querySelector('.vhead'));
  const misalignedRows = [...document.querySelectorAll('.vwindow .vrow:not(.loading)')]
    .filter((row) => lefts(row) !== head)
    .map((row) => row.id);
  const viewport = document.querySelector('.vviewport');
  const doc = document.documentElement;
  return {
    pageOverflow: doc.scrollWidth - doc.clientWidth,
    cutChips,
    overflowingCells,
    misalignedRows,
    tableScrollsSideways: viewport.scrollWidth > viewport.clientWidth,
  };
})()`;

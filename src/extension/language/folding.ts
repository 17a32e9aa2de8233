import * as vscode from 'vscode';
import type { Ctx } from '../Ctx';
import { LANGUAGE_ID } from '../ids';
import { blockRanges } from './blockRanges';

/** Folding of `proc` and `repeat` bodies, whether or not they are indented. */
export function registerFolding(ctx: Ctx): void {
  ctx.subscribe(
    vscode.languages.registerFoldingRangeProvider(
      { language: LANGUAGE_ID },
      {
        provideFoldingRanges: (document) =>
          blockRanges(document.getText()).map((range) => new vscode.FoldingRange(range.start, range.end)),
      },
    ),
  );
}

// The page every MMU Lens webview loads: one script and two style sheets, all from the extension's
// own files, under a policy that allows nothing else (no inline script, no remote content).
import type { PanelKind } from '../../protocol/dto';

export interface WebviewPageParts {
  panel: PanelKind;
  title: string;
  /** `webview.cspSource`: the origin the webview serves local resources from. */
  cspSource: string;
  /** A fresh random nonce for this page load. */
  nonce: string;
  scriptUri: string;
  /** Style sheets in order (codicons first, then the views' own). */
  styleUris: string[];
}

const escapeAttribute = (text: string): string =>
  text.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `style-src ${cspSource}`,
    `font-src ${cspSource}`,
    `img-src ${cspSource} data:`,
    `script-src 'nonce-${nonce}'`,
  ].join('; ');
}

export function renderWebviewHtml(parts: WebviewPageParts): string {
  const styles = parts.styleUris
    .map((uri) => `<link rel="stylesheet" href="${escapeAttribute(uri)}">`)
    .join('\n    ');
  return `<!DOCTYPE html>
<html lang="en">
  <head>
    <meta charset="UTF-8">
    <meta http-equiv="Content-Security-Policy" content="${escapeAttribute(contentSecurityPolicy(parts.cspSource, parts.nonce))}">
    <meta name="viewport" content="width=device-width, initial-scale=1.0">
    ${styles}
    <title>${escapeAttribute(parts.title)}</title>
  </head>
  <body data-panel="${escapeAttribute(parts.panel)}">
    <div id="app"></div>
    <script nonce="${escapeAttribute(parts.nonce)}" src="${escapeAttribute(parts.scriptUri)}"></script>
  </body>
</html>`;
}

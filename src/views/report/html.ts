// Markup for the step report, built as text in Node. Every plain string handed to `el` is escaped;
// only values already wrapped as Html pass through unchanged. So text from a scenario (a region's
// name, a printed string, the source itself) can never become markup, whatever it contains.

/** Markup that is already safe to put in the document as it is. */
export class Html {
  constructor(readonly text: string) {}

  toString(): string {
    return this.text;
  }
}

/** What an element may contain: markup, text to escape, numbers, nested lists, or nothing. */
export type Child = Html | string | number | null | undefined | false | readonly Child[];

/** Attribute values; false, null and undefined leave the attribute out, true writes it bare. */
export type Attributes = Readonly<Record<string, string | number | boolean | null | undefined>>;

const ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Text as it must appear in an element's content or an attribute's quoted value. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);
}

/** Markup written by this program (constant CSS, a doctype); never anything read from a scenario. */
export function trusted(text: string): Html {
  return new Html(text);
}

const NAME = /^[a-zA-Z][a-zA-Z0-9-]*$/;

function attributeText(attributes: Attributes): string {
  let out = '';
  for (const [name, value] of Object.entries(attributes)) {
    // Names come from this program; a bad one is a programming error, not something to escape.
    if (!NAME.test(name)) throw new Error(`not an attribute name: ${name}`);
    if (value === false || value === null || value === undefined) continue;
    out += value === true ? ` ${name}` : ` ${name}="${escapeHtml(String(value))}"`;
  }
  return out;
}

function appendChild(parts: string[], child: Child): void {
  if (child === null || child === undefined || child === false) return;
  if (child instanceof Html) parts.push(child.text);
  else if (typeof child === 'string') parts.push(escapeHtml(child));
  else if (typeof child === 'number') parts.push(String(child));
  else for (const item of child) appendChild(parts, item);
}

/** Children joined into one piece of markup. */
export function fragment(...children: Child[]): Html {
  const parts: string[] = [];
  appendChild(parts, children);
  return new Html(parts.join(''));
}

const VOID_ELEMENTS = new Set(['meta', 'br', 'wbr']);

/** An element with escaped attributes and children. */
export function el(tag: string, attributes: Attributes = {}, ...children: Child[]): Html {
  if (!NAME.test(tag)) throw new Error(`not an element name: ${tag}`);
  const open = `<${tag}${attributeText(attributes)}>`;
  if (VOID_ELEMENTS.has(tag)) return new Html(open);
  const parts = [open];
  appendChild(parts, children);
  parts.push(`</${tag}>`);
  return new Html(parts.join(''));
}

/** The panels' count-with-noun helper, shared through the protocol so that every view words counts alike. */
export { plural } from '../../protocol/plural';

/**
 * cli-table3 0.6's Cell.mergeTableOptions, with the table's borders and padding looked up once per table
 * rather than once per cell. Its own resolves each of 15 border characters and both paddings for every
 * cell through a helper that splits the option's name (`top-mid` → `topMid`) and filters an array of
 * candidates: 17 such calls a cell, over a third of the time a piped table of 4,000 offers was drawn in.
 *
 * agg hands cli-table3 every cell as a string, so a cell has no borders, padding or style of its own and
 * takes the table's: the same values, resolved the same way, once. A cell given as an object (with its
 * own options) goes through cli-table3's own method.
 */
import Cell from 'cli-table3/src/cell.js';
import tableUtils from 'cli-table3/src/utils.js';

const CHAR_NAMES = [
  'top',
  'top-mid',
  'top-left',
  'top-right',
  'bottom',
  'bottom-mid',
  'bottom-left',
  'bottom-right',
  'left',
  'left-mid',
  'mid',
  'mid-mid',
  'right',
  'right-mid',
  'middle',
] as const;

type Options = Record<string, unknown>;

// As cli-table3's firstDefined: the first candidate neither undefined nor null.
const firstDefined = (...values: unknown[]): unknown => values.find((v) => v !== undefined && v !== null);
// As cli-table3's setOption: `top-mid` is read as `topMid`, then `top-mid`, and set as `topMid`.
const camel = (name: string): string => name.replace(/-(.)/, (_dash, letter: string) => letter.toUpperCase());
const NAMES = CHAR_NAMES.map((name) => [camel(name), name] as const);
const option = (from: Options, [key, name]: readonly [string, string]): unknown =>
  key === name ? from[name] : firstDefined(from[key], from[name]);
const PADDING_LEFT = ['paddingLeft', 'padding-left'] as const;
const PADDING_RIGHT = ['paddingRight', 'padding-right'] as const;

interface Shared {
  chars: Record<string, unknown>;
  paddingLeft: number;
  paddingRight: number;
}

// Per table: a table's options are made once, when the table is (one block of rows).
const sharedOf = new WeakMap<Options, Shared>();

function shared(tableOptions: Options): Shared {
  let found = sharedOf.get(tableOptions);
  if (found) return found;
  const tableChars = tableOptions.chars as Options;
  const tableStyle = tableOptions.style as Options;
  found = {
    chars: Object.fromEntries(NAMES.map((names) => [names[0], option(tableChars, names)])),
    paddingLeft: option(tableStyle, PADDING_LEFT) as number,
    paddingRight: option(tableStyle, PADDING_RIGHT) as number,
  };
  sharedOf.set(tableOptions, found);
  return found;
}

const original = Cell.prototype.mergeTableOptions;

Cell.prototype.mergeTableOptions = function mergeTableOptions(this: Cell, tableOptions: Options, cells: unknown) {
  const own = this.options;
  if (own.chars !== undefined || own.style !== undefined || own.truncate) {
    original.call(this, tableOptions, cells);
    return;
  }
  const { chars, paddingLeft, paddingRight } = shared(tableOptions);
  this.cells = cells;
  // One object for every cell of the table: cli-table3 only reads a cell's characters.
  this.chars = chars;
  this.truncate = tableOptions.truncate;
  own.style = {};
  this.paddingLeft = paddingLeft;
  this.paddingRight = paddingRight;
  const tableStyle = tableOptions.style as Options;
  this.head = tableStyle.head;
  this.border = tableStyle.border;
  this.fixedWidth = (tableOptions.colWidths as number[])[this.x];
  this.lines = this.computeLines(tableOptions);
  this.desiredWidth = tableUtils.strlen(this.content) + paddingLeft + paddingRight;
  this.desiredHeight = this.lines.length;
};

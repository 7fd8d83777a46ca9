import { isMap, isScalar, LineCounter, type Document, type Node } from 'yaml';
import type { KeyPath } from './key-path.js';

/**
 * Finds the source line of a key path in a parsed YAML document: the line of the key for
 * mapping entries (a nested block starts on the line after its key), the line of the item
 * for list entries. A path that does not exist (a missing required key) falls back to its
 * nearest existing parent.
 */
export class YamlLocations {
  constructor(
    private readonly doc: Document,
    private readonly lineCounter: LineCounter,
  ) {}

  lineOf(path: KeyPath): number | undefined {
    for (let length = path.length; length > 0; length--) {
      const line = this.lineOfExisting(path.slice(0, length));
      if (line !== undefined) return line;
    }
    return undefined;
  }

  private lineOfExisting(path: KeyPath): number | undefined {
    const last = path[path.length - 1];
    if (typeof last === 'string') {
      const parent = this.doc.getIn(path.slice(0, -1), true);
      if (isMap(parent)) {
        for (const pair of parent.items) {
          if (isScalar(pair.key) && pair.key.value === last && pair.key.range) return this.line(pair.key.range[0]);
        }
      }
      return undefined;
    }
    const node = this.doc.getIn(path, true) as Node | undefined;
    return node?.range ? this.line(node.range[0]) : undefined;
  }

  private line(offset: number): number {
    return this.lineCounter.linePos(offset).line;
  }
}

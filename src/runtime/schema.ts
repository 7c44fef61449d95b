// A stream's attributes with their positions, resolved once at plan time.

import type { AttributeType } from '../ast/index.js';

export interface AttributeSchema {
  readonly name: string;
  readonly type: AttributeType;
}

export class StreamSchema {
  private readonly positions = new Map<string, number>();

  constructor(
    readonly name: string,
    readonly attributes: readonly AttributeSchema[],
  ) {
    attributes.forEach((a, i) => this.positions.set(a.name, i));
  }

  indexOf(name: string): number {
    return this.positions.get(name) ?? -1;
  }

  get size(): number {
    return this.attributes.length;
  }

  /** Same attribute names and types in the same order. */
  sameShape(other: StreamSchema): boolean {
    return (
      this.attributes.length === other.attributes.length &&
      this.attributes.every((a, i) => a.name === other.attributes[i]!.name && a.type === other.attributes[i]!.type)
    );
  }

  describe(): string {
    return `(${this.attributes.map((a) => `${a.name} ${a.type}`).join(', ')})`;
  }
}

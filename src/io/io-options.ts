// Annotation elements (`key='value'`) of @source, @sink and @map, read with
// defaults and checked values; errors name the annotation and the key.

import type { AnnotationElement } from '../ast/index.js';

export class IoOptions {
  private readonly values = new Map<string, string>();

  constructor(readonly where: string, elements: readonly AnnotationElement[] | Record<string, string>) {
    if (Array.isArray(elements)) {
      for (const e of elements as readonly AnnotationElement[]) if (e.key !== undefined) this.values.set(e.key, e.value);
    } else {
      for (const [k, v] of Object.entries(elements)) this.values.set(k, v);
    }
  }

  has(key: string): boolean {
    return this.values.has(key);
  }

  keys(): string[] {
    return [...this.values.keys()];
  }

  get(key: string): string | undefined;
  get(key: string, fallback: string): string;
  get(key: string, fallback?: string): string | undefined {
    return this.values.get(key) ?? fallback;
  }

  required(key: string): string {
    const v = this.values.get(key);
    if (v === undefined) throw new Error(`${this.where} needs ${key}='…'`);
    return v;
  }

  number(key: string, fallback: number): number {
    const v = this.values.get(key);
    if (v === undefined) return fallback;
    const n = Number(v);
    if (v.trim() === '' || !Number.isFinite(n)) throw new Error(`${this.where}: ${key}='${v}' is not a number`);
    return n;
  }

  bool(key: string, fallback: boolean): boolean {
    const v = this.values.get(key)?.toLowerCase();
    if (v === undefined) return fallback;
    if (v !== 'true' && v !== 'false') throw new Error(`${this.where}: ${key}='${v}' is not true or false`);
    return v === 'true';
  }

  oneOf<T extends string>(key: string, choices: readonly T[], fallback: T): T {
    const v = this.values.get(key);
    if (v === undefined) return fallback;
    const found = choices.find((c) => c.toLowerCase() === v.toLowerCase());
    if (!found) throw new Error(`${this.where}: ${key}='${v}' is not one of ${choices.join(', ')}`);
    return found;
  }
}

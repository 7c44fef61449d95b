// `#pol2Cart(theta, rho [, z])`: appends the Cartesian coordinates x, y (and z)
// of polar input to each event. Stateless stream function.

import type { StreamEvent } from '../event.js';
import { StreamEvent as Ev } from '../event.js';
import { Pipe, type Linked } from '../processor.js';
import type { StreamFunctionKind } from './stream-function.js';
import { WindowArgs } from './window-args.js';

export class Pol2Cart extends Pipe<StreamEvent> {
  constructor(
    private readonly theta: (e: StreamEvent) => unknown,
    private readonly rho: (e: StreamEvent) => unknown,
    private readonly z: ((e: StreamEvent) => unknown) | undefined,
  ) {
    super();
  }

  process(chunk: StreamEvent[]): void {
    const out: StreamEvent[] = new Array(chunk.length);
    for (let i = 0; i < chunk.length; i++) {
      const e = chunk[i]!;
      const theta = this.theta(e) as number | null;
      const rho = this.rho(e) as number | null;
      const radians = theta === null ? null : (theta * Math.PI) / 180;
      const x = radians === null || rho === null ? null : rho * Math.cos(radians);
      const y = radians === null || rho === null ? null : rho * Math.sin(radians);
      const extra = this.z ? [x, y, this.z(e)] : [x, y];
      out[i] = new Ev(e.timestamp, [...e.data, ...extra], e.type);
    }
    this.next.process(out);
  }
}

const SIGNATURE = 'pol2Cart(theta double, rho double [, z double])';
const NUMERIC = ['int', 'long', 'float', 'double'] as const;

export const POL2CART: StreamFunctionKind = {
  name: 'pol2Cart',
  signature: SIGNATURE,
  plan(args, ctx) {
    const a = new WindowArgs('pol2Cart', SIGNATURE, args, ctx, 'stream function').count(2, 3);
    args.forEach((arg, i) => {
      if (!(NUMERIC as readonly string[]).includes(arg.type)) a.fail(`stream function 'pol2Cart': argument ${i + 1} must be numeric, got ${arg.type}`, arg);
    });
    const z = args[2];
    return {
      build: () => new Pol2Cart(args[0]!.get, args[1]!.get, z?.get) as Linked,
      added: [
        { name: 'x', type: 'double' },
        { name: 'y', type: 'double' },
        ...(z ? [{ name: 'z', type: z.type }] : []),
      ],
    };
  },
};

// Topics shared by the apps of one SiddhiManager: inMemory sinks publish,
// inMemory sources (and Node code, via manager.broker) subscribe.

/**
 * @example
 * const off = manager.broker.subscribe('stock', (m) => console.log(m));
 * manager.broker.publish('stock', { event: { symbol: 'IBM', price: 75.6 } });
 */
export class InMemoryBroker {
  private readonly topics = new Map<string, Set<(message: unknown) => void>>();

  subscribe(topic: string, receive: (message: unknown) => void): () => void {
    let set = this.topics.get(topic);
    if (!set) this.topics.set(topic, (set = new Set()));
    set.add(receive);
    return () => set.delete(receive);
  }

  /** Delivers synchronously to every subscriber of the topic; returns how many there were. */
  publish(topic: string, message: unknown): number {
    const set = this.topics.get(topic);
    if (!set) return 0;
    for (const receive of [...set]) receive(message);
    return set.size;
  }
}

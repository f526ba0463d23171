/**
 * A double-ended queue on a circular buffer that doubles when full: O(1) push and
 * pop at both ends, indexed access, no `Array.shift` copies. Internal to the
 * market-state window (bars in the window, monotonic extremum queues).
 */
export class RingDeque<T> {
  private items: (T | undefined)[];
  private head = 0;
  private size = 0;

  constructor(initialCapacity = 16) {
    this.items = new Array<T | undefined>(Math.max(2, initialCapacity));
  }

  /** Number of items. */
  get length(): number {
    return this.size;
  }

  /** Appends at the back. */
  push(item: T): void {
    if (this.size === this.items.length) this.grow();
    this.items[(this.head + this.size) % this.items.length] = item;
    this.size++;
  }

  /** Removes and returns the front item. */
  shift(): T | undefined {
    if (this.size === 0) return undefined;
    const item = this.items[this.head];
    this.items[this.head] = undefined;
    this.head = (this.head + 1) % this.items.length;
    this.size--;
    return item;
  }

  /** Removes and returns the back item. */
  pop(): T | undefined {
    if (this.size === 0) return undefined;
    const index = (this.head + this.size - 1) % this.items.length;
    const item = this.items[index];
    this.items[index] = undefined;
    this.size--;
    return item;
  }

  /** The front item. */
  front(): T | undefined {
    return this.size === 0 ? undefined : this.items[this.head];
  }

  /** The back item. */
  back(): T | undefined {
    return this.size === 0 ? undefined : this.items[(this.head + this.size - 1) % this.items.length];
  }

  /** The `index`-th item from the front. */
  at(index: number): T | undefined {
    if (index < 0 || index >= this.size) return undefined;
    return this.items[(this.head + index) % this.items.length];
  }

  /** Removes every item. */
  clear(): void {
    this.items.fill(undefined);
    this.head = 0;
    this.size = 0;
  }

  private grow(): void {
    const next = new Array<T | undefined>(this.items.length * 2);
    for (let index = 0; index < this.size; index++) next[index] = this.items[(this.head + index) % this.items.length];
    this.items = next;
    this.head = 0;
  }
}

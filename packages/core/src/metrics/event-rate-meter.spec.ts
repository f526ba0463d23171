import { describe, expect, it } from 'vitest';
import { EventRateMeter } from './event-rate-meter.js';

describe('EventRateMeter', () => {
  it('divides the events of the window by its length once full, by the covered time before', () => {
    const meter = new EventRateMeter(4_000, 1_000);
    expect(meter.rate()).toBe(0);
    for (let index = 0; index < 10; index++) meter.record(10_000 + index * 100); // 10 events in second 10
    expect(meter.rate()).toBe(10); // one bucket covered
    for (let index = 0; index < 20; index++) meter.record(11_000 + index * 50); // 20 in second 11
    expect(meter.rate()).toBe(15); // 30 over 2 s
    meter.record(14_500); // second 14: the window is seconds 11..14
    expect(meter.rate()).toBe(21 / 4);
    expect(meter.rate(20_000)).toBe(0);
    expect(meter.total).toBe(31);
    expect(meter.peak()).toBe(20);
  });

  it('adds late events to their bucket while it is in the window and drops older ones from the rate', () => {
    const meter = new EventRateMeter(2_000, 500);
    meter.record(10_000);
    meter.record(11_900);
    meter.record(10_100); // late but its bucket (20) is still in the window 20..23
    expect(meter.rate()).toBe(3 / 2);
    meter.record(13_000); // window 23..26
    meter.record(10_200); // too old for the rate
    expect(meter.rate()).toBe(2 / 2);
    expect(meter.total).toBe(5);
  });
});

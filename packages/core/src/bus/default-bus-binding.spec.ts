import { ContainerModule } from 'inversify';
import { describe, expect, it } from 'vitest';
import { MessageBus } from '../contracts/message-bus.js';
import { definePlugin } from '../plugin/define-plugin.js';
import { createTranche } from '../plugin/create-tranche.js';
import { VirtualClock } from '../time/virtual-clock.js';
import { InProcessMessageBus } from './in-process-message-bus.js';

describe('createTranche and the message bus', () => {
  it('binds one in-process bus on the composed clock when no plugin binds one', async () => {
    const clock = new VirtualClock(5_000);
    const tranche = createTranche({ plugins: [], clock });
    const bus = tranche.get<MessageBus>(MessageBus);
    expect(bus).toBeInstanceOf(InProcessMessageBus);
    expect(tranche.get<MessageBus>(MessageBus)).toBe(bus);
    expect(bus.isDurable('exec.events.e1')).toBe(true);
    await bus.close();
  });

  it('keeps the bus a plugin binds', () => {
    const own = new InProcessMessageBus({ clock: new VirtualClock(0), durableSubjects: ['audit.>'] });
    const plugin = definePlugin({ name: 'own-bus', version: '0.0.0', module: new ContainerModule(({ bind }) => void bind(MessageBus).toConstantValue(own)) });
    const tranche = createTranche({ plugins: [plugin] });
    expect(tranche.get<MessageBus>(MessageBus)).toBe(own);
  });
});

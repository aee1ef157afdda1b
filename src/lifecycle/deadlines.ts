import { monotonicMs } from '../clock';

/** A deadline that has not passed yet; `cancel` makes sure it never fires. */
export interface Deadline {
  cancel(): void;
}

/** The hooks whose deadlines fall in the same millisecond, under one timer. */
interface Group {
  readonly timer: NodeJS.Timeout;
  readonly members: Member[];
  /** Members not cancelled yet: at 0 the timer is cleared. */
  live: number;
}

class Member implements Deadline {
  constructor(
    private expire: (() => void) | undefined,
    private readonly group: Group,
    private readonly owner: Deadlines,
    private readonly at: number,
  ) {}

  cancel(): void {
    if (this.expire === undefined) return;
    this.expire = undefined;
    if (--this.group.live === 0) this.owner.drop(this.at, this.group);
  }

  fire(): void {
    const expire = this.expire;
    this.expire = undefined;
    expire?.();
  }
}

/**
 * Timers for hook deadlines, shared: the hooks that begin in the same millisecond with the same time limit
 * (the plugins of one layer of a startup, the stops of one turn) share one timer instead of one each. A
 * deadline is rounded up to the next whole millisecond, so it never comes early; the timer is cleared as
 * soon as every hook under it has finished.
 */
export class Deadlines {
  private readonly groups = new Map<number, Group>();

  constructor(private readonly now: () => number = monotonicMs) {}

  /** Calls `expire` once `timeoutMs` have passed, unless cancelled first; `Infinity` never expires. */
  after(timeoutMs: number, expire: () => void): Deadline {
    if (timeoutMs === Infinity) return NEVER;
    const now = this.now();
    const at = Math.ceil(now + timeoutMs);
    let group = this.groups.get(at);
    if (group === undefined) {
      const members: Member[] = [];
      group = { timer: setTimeout(() => this.fire(at, members), at - now), members, live: 0 };
      this.groups.set(at, group);
    }
    const member = new Member(expire, group, this, at);
    group.members.push(member);
    group.live++;
    return member;
  }

  /** Forgets a group whose members were all cancelled. */
  drop(at: number, group: Group): void {
    clearTimeout(group.timer);
    if (this.groups.get(at) === group) this.groups.delete(at);
  }

  private fire(at: number, members: readonly Member[]): void {
    if (this.groups.get(at)?.members === members) this.groups.delete(at);
    for (const member of members) member.fire();
  }
}

const NEVER: Deadline = { cancel: () => undefined };

/** The deadlines of every registry in the process. */
export const deadlines = new Deadlines();

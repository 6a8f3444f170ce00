// k6/metrics: custom metrics written as k6 --out json samples.
import { sample } from './context.mjs';

class Metric {
  constructor(name, isTime, type) {
    this.name = name;
    this.type = type;
    this.contains = isTime ? 'time' : 'default';
  }
  add(value, tags) {
    sample(this.name, this.type, this.contains, typeof value === 'boolean' ? (value ? 1 : 0) : value, tags);
    return true;
  }
}

export class Trend extends Metric {
  constructor(name, isTime) {
    super(name, isTime, 'trend');
  }
}
export class Counter extends Metric {
  constructor(name, isTime) {
    super(name, isTime, 'counter');
  }
}
export class Rate extends Metric {
  constructor(name) {
    super(name, false, 'rate');
  }
}
export class Gauge extends Metric {
  constructor(name, isTime) {
    super(name, isTime, 'gauge');
  }
}

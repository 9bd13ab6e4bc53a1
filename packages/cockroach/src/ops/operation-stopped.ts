/** An operation (roll, restore) stopped before finishing, deliberately: its message says why and what to do. Exit 1. */
export class OperationStopped extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OperationStopped';
  }
}

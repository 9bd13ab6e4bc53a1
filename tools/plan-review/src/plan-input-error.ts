/** A plan or acknowledgement file that cannot be read: the message names the file and what is wrong. */
export class PlanInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PlanInputError';
  }
}

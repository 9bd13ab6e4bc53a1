/** An acknowledged dangerous action: this address of this stack may be applied, for this reason. */
export interface Acknowledgement {
  readonly stack: string;
  readonly address: string;
  readonly reason: string;
}

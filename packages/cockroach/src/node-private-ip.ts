import { Fn } from 'cdktf';
import { NODE_IP_HOST_OFFSET } from './cockroach-names';

/** The fixed private IP of node `index`, computed by Terraform from its subnet's CIDR (which may be a token). */
export function nodePrivateIp(privateSubnetCidrs: string[], index: number): string {
  return Fn.cidrhost(Fn.element(privateSubnetCidrs, index), NODE_IP_HOST_OFFSET);
}

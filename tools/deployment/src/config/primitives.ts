import { isAwsRegionName, isIpv4Cidr, parseIpv4Cidr } from '@crdb-ory/core';
import { z } from 'zod';

/** An IPv4 CIDR block with no host bits set, checked with the same parser the rules use. */
export const cidrBlock = z.string().superRefine((value, ctx) => {
  const parsed = parseIpv4Cidr(value);
  if (!isIpv4Cidr(parsed)) ctx.addIssue({ code: 'custom', message: `${parsed.error}; expected an IPv4 CIDR block like 10.0.0.0/16` });
});

/** Lowercase DNS-label style name: used in AWS resource names, so kept short and portable. */
export const resourceName = z
  .string()
  .regex(/^[a-z][a-z0-9-]{1,30}[a-z0-9]$/, 'must be 3-32 characters of a-z, 0-9 and "-", starting with a letter');

export const dnsName = z
  .string()
  .regex(/^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, 'must be a lowercase DNS name like example.com');

export const instanceType = z.string().regex(/^[a-z][a-z0-9-]*\.[a-z0-9]+$/, 'must be an EC2 instance type like m6i.2xlarge');

export const awsRegion = z.string().refine(isAwsRegionName, 'must be an AWS region like us-east-1');

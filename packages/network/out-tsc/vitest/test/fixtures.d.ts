import { NetworkStackProps } from '../src';
/** The reference architecture's network layout. */
export declare const REFERENCE_PROPS: NetworkStackProps;
export declare function synthNetwork(overrides?: Partial<NetworkStackProps>): Record<string, any>;
/** The resources of `type`, as [name, config] pairs. */
export declare function resources(json: Record<string, any>, type: string): Array<[string, any]>;
export declare function ref(type: string, name: string, attribute?: string): string;
//# sourceMappingURL=fixtures.d.ts.map
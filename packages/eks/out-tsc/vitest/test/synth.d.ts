import { EksStack, EksStackProps } from '../src';
export declare const BASE_PROPS: EksStackProps;
/** Synthesizes the eks stack with `overrides` over the defaults; returns the stack and its JSON. */
export declare function synthEks(overrides?: Partial<EksStackProps>): {
    stack: EksStack;
    json: Record<string, any>;
};
/** The only resource of `type`, with its Terraform name. */
export declare function only(json: Record<string, any>, type: string): {
    name: string;
    value: Record<string, any>;
};
export declare function all(json: Record<string, any>, type: string): Array<Record<string, any>>;
//# sourceMappingURL=synth.d.ts.map
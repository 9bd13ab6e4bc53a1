import { App } from 'cdktf';
import { CockroachPkiStackProps, CockroachStack, CockroachStackProps } from '../src';
export declare const COMMON: {
    region: string;
    tags: {
        Project: string;
    };
    stateBackend: {
        type: "local";
    };
};
export type Json = Record<string, any>;
export declare function synthPki(props?: Partial<CockroachPkiStackProps>): Json;
export declare function buildCluster(props?: Partial<CockroachStackProps>): {
    app: App;
    stack: CockroachStack;
    json: Json;
};
export declare function synthCluster(props?: Partial<CockroachStackProps>): Json;
/** Every resource of `type`, by its synthesized name. */
export declare function resources(json: Json, type: string): Record<string, Json>;
export declare function resourceList(json: Json, type: string): Json[];
/** The single resource of `type` whose name starts with `prefix`. */
export declare function resourceNamed(json: Json, type: string, prefix: string): Json;
export declare function dataNamed(json: Json, type: string, prefix: string): Json;
/** The Terraform address (`type.name`) of the single resource named `prefix*`. */
export declare function addressOf(json: Json, type: string, prefix: string): string;
//# sourceMappingURL=synth.d.ts.map
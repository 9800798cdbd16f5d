export declare const GENERATED_PATH: string;
export declare function kernelBindings(dts: string): string;

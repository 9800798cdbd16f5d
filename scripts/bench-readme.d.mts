export declare const RESULTS: string;
export declare function renderBench(report: unknown): string;
export declare function withBenchSection(readme: string, table: string): string;

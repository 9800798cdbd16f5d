/** A hidden layer's nonlinearity. */
export type Activation = "relu" | "sigmoid" | "tanh";

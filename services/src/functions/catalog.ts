import { lambdaHandler } from "../http/container";

export const handler = lambdaHandler("catalog");

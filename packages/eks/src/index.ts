export * from './eks-outputs';

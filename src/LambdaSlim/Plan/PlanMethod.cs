namespace LambdaSlim.Plan;

/// <summary>How a plan was found: exhaustively (branch and bound, optimal) or greedily (with a stated bound).</summary>
public enum PlanMethod { Exact, Greedy }

// The policy set a tenant gets until it loads its own (version 0). A TypeScript constant rather than a
// .cedar file so that the esbuild bundle carries it without a loader.
//
// Annotations the policy store understands:
//   @id("…")        the policy id named in decision reasons (otherwise policy0, policy1, … by position)
//   @reason("…")    the message a decision reason carries for this policy
//   @escalate("N")  on a forbid: when it is what blocks the action, the answer is ESCALATE to authority
//                   level N instead of DENY (a human may approve the action)
export const DEFAULT_POLICY_TEXT = `
@id("permit-declared-capability-at-required-tier")
@reason("the agent declares the capability and its tier meets the required tier")
permit (principal is Trustgate::Agent, action, resource is Trustgate::Resource)
when {
  principal.capabilities.contains(context.action) &&
  principal.tier >= context.requiredTier
};

@id("forbid-destructive-below-certified")
@reason("destructive actions need tier T4 (Certified) or above")
forbid (principal, action in [Trustgate::Action::"delete_data"], resource)
when { principal.tier < 4 };

@id("escalate-email-below-autonomous")
@reason("sending email below tier T5 (Autonomous) needs human approval")
@escalate("1")
forbid (principal, action == Trustgate::Action::"send_email", resource)
when { principal.tier < 5 };

@id("escalate-code-execution-below-autonomous")
@reason("executing code below tier T5 (Autonomous) needs approval by a senior reviewer")
@escalate("2")
forbid (principal, action == Trustgate::Action::"execute_code", resource)
when { principal.tier < 5 };
`;

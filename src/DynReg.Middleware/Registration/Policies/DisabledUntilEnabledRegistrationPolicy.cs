namespace DynReg.Middleware.Registration.Policies;

/// <summary>
/// New dynamic clients are stored disabled: registration answers 201 as usual, but the client is
/// refused at <c>/authorize</c> and <c>/oauth/token</c> until the tenant owner enables it with
/// <c>PATCH /api/v2/clients/{id}</c> <c>{"is_disabled": false}</c>.
/// </summary>
internal sealed class DisabledUntilEnabledRegistrationPolicy : IRegistrationPolicy
{
    public ValueTask<RegistrationPolicyResult> EvaluateAsync(RegistrationPolicyContext context, CancellationToken cancellationToken)
        => ValueTask.FromResult(RegistrationPolicyResult.AllowDisabled);
}

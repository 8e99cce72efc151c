namespace DynReg.Middleware.Hosting;

/// <summary>Tells <c>MapDynamicRegistration()</c> that the services were added.</summary>
internal sealed class DynamicRegistrationMarker;

namespace MicroDemo.Testing;

/// <summary>An app of the stack as tests start it: its project folder and assembly name.</summary>
public sealed record MicroDemoApp(string ProjectDirectory, string AssemblyName)
{
    /// <summary>The DLL built in the tests' own configuration.</summary>
    public string DllPath => RepoPaths.AppDll(ProjectDirectory, AssemblyName);
}

/// <summary>The stack's apps (the launcher's process table in tools/Launcher/Stack/StackDefinition.cs lists the same).</summary>
public static class MicroDemoApps
{
    public static readonly MicroDemoApp Identity = new("services/identity", "MicroDemo.Identity");
    public static readonly MicroDemoApp Users = new("services/users", "MicroDemo.Users");
    public static readonly MicroDemoApp Orders = new("services/orders", "MicroDemo.Orders");
    public static readonly MicroDemoApp Gateway = new("gateway", "MicroDemo.Gateway");
}

namespace MicroDemo.ServiceDefaults;

internal static class Placeholder;

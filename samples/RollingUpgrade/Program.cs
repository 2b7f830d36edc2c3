Console.WriteLine("RollingUpgrade demo: under construction.");

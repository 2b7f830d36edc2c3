System.Console.WriteLine("generator: under construction");

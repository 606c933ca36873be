@problemName Uni
@univariate true
@missing true
@equalLength false
@classLabel false
@data
1,2,?,4
?,5
0.5e1,+3,-2
